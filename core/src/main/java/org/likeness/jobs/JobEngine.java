package org.likeness.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.likeness.app.Cancellation;
import org.likeness.app.CancelledException;
import org.likeness.app.Listener;
import org.likeness.files.IoMessages;
import org.likeness.files.Parallel;
import org.likeness.files.PrivateFiles;
import org.likeness.json.Json;
import org.likeness.registry.JobRecords;
import org.likeness.registry.JobRow;
import org.likeness.scan.Progress;

/**
 * Runs jobs on a fixed number of workers, jobs beyond them waiting in a queue in the order they were submitted. Every
 * state change is written to the registry's job table before it is announced, so that a server killed at any moment
 * finds, on its next start ({@link #start}), every job it had accepted: a queued one is queued again, a running one
 * resumes when its kind can ({@link JobRunner#resumable}) and is otherwise failed with {@value #INTERRUPTED}.
 */
public final class JobEngine implements AutoCloseable {
    /** The error of a running job that a restart could not resume. */
    public static final String INTERRUPTED = "interrupted by server restart";
    /** Progress is written to the database at most this often per job (events go out at every step). */
    static final long PROGRESS_WRITE_NANOS = 1_000_000_000L;
    /** Progress events per job at most this often, except the last of a stage. */
    static final long PROGRESS_EVENT_NANOS = 200_000_000L;
    /** The file in a job's folder that lists the files it could not use, one {@code PATH: REASON} per line. */
    public static final String PROBLEMS_FILE = "problems.txt";

    /**
     * @param workers        jobs that run at once; the others wait in the queue
     * @param threadsPerJob  worker threads each job's use case gets (--threads)
     */
    public record Config(int workers, int threadsPerJob) {
        public Config {
            if (workers < 1 || threadsPerJob < 1) {
                throw new IllegalArgumentException("workers and threads per job must be at least 1: " + workers + ", " + threadsPerJob);
            }
        }

        /**
         * Sized for the machine: one job per 4 cores (at least 1, at most 4), each with its share of the cores, so
         * that running jobs together never ask for more threads than there are cores (a scan keeps a core busy per
         * thread: docs/BENCHMARKS.md).
         */
        public static Config forMachine() {
            int cores = Runtime.getRuntime().availableProcessors();
            int workers = Math.max(1, Math.min(4, cores / 4));
            return new Config(workers, Math.max(1, cores / workers));
        }
    }

    /** Runs a job kind's use case given the engine's threads per job. */
    public interface Runners {
        JobRunner runner(JobKind kind, int threads);
    }

    private final JobRecords table;
    private final Path jobsFolder;
    private final Runners runners;
    private final Config config;
    private final ExecutorService pool;
    private final Map<String, Cancellation> running = new ConcurrentHashMap<>();
    private final Map<String, List<Consumer<JobEvent>>> subscribers = new ConcurrentHashMap<>();
    private volatile boolean closing;

    /** @param jobsFolder where each job's folder is made ($LIKENESS_HOME/jobs) */
    public JobEngine(JobRecords table, Path jobsFolder, Runners runners, Config config) {
        this.table = Objects.requireNonNull(table);
        this.jobsFolder = jobsFolder;
        this.runners = runners;
        this.config = config;
        this.pool = Parallel.pool(config.workers(), "job");
    }

    public Config config() {
        return config;
    }

    /**
     * Recovers what the last server left: running jobs resume (kinds that checkpoint) or fail with {@value #INTERRUPTED};
     * queued ones are queued again, oldest first. Returns the ids of the jobs failed.
     */
    public List<String> start() {
        List<String> failed = new ArrayList<>();
        for (JobRow r : table.inState(JobState.RUNNING.word())) {
            JobKind kind = JobKind.parse(r.kind());
            if (runners.runner(kind, config.threadsPerJob()).resumable()) {
                table.transition(r.id(), JobState.RUNNING.word(), JobState.QUEUED.word(), null, null, null, null, false);
            } else if (table.transition(r.id(), JobState.RUNNING.word(), JobState.FAILED.word(), null, Instant.now(), null, INTERRUPTED, false)) {
                failed.add(r.id());
            }
        }
        for (JobRow r : table.inState(JobState.QUEUED.word())) {
            pool.submit(() -> execute(r.id()));
        }
        return failed;
    }

    /** Puts a job's input in its folder before the job is written (an upload moved in); returns request fields to add. */
    public interface Input {
        Map<String, String> place(Path folder) throws IOException;
    }

    /** Accepts a job: its folder is made and its row written (queued) before it is handed to a worker. */
    public Job submit(JobKind kind, Map<String, String> request, String org, String accountId) throws IOException {
        return submit(kind, request, org, accountId, folder -> Map.of());
    }

    /**
     * As above, with {@code input} placed in the job's folder first (its fields added to the request); when placing
     * it fails, the folder is removed and nothing is queued.
     */
    public Job submit(JobKind kind, Map<String, String> request, String org, String accountId, Input input) throws IOException {
        if (closing) {
            throw new IllegalStateException("the job engine is shutting down");
        }
        String id = UUID.randomUUID().toString();
        Path folder = PrivateFiles.createDirectories(jobsFolder.resolve(id));
        Map<String, String> full = new java.util.LinkedHashMap<>(request);
        try {
            full.putAll(input.place(folder));
        } catch (IOException | RuntimeException e) {
            deleteTree(folder);
            throw e;
        }
        String requestJson;
        try {
            requestJson = Json.MAPPER.writeValueAsString(full);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("request is not representable as JSON", e);
        }
        table.insert(new JobRow(id, kind.word(), JobState.QUEUED.word(), org, accountId, requestJson, folder.toString(), 0, -1, null, 0,
                null, null, 0, Instant.now(), null, null));
        pool.submit(() -> execute(id));
        return get(id);
    }

    private static void deleteTree(Path folder) {
        try (java.util.stream.Stream<Path> s = Files.walk(folder)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // an empty job folder left behind holds nothing
        }
    }

    /** The job, or null when there is none with this id. */
    public Job get(String id) {
        JobRow r = table.find(id);
        return r == null ? null : Job.of(r);
    }

    /** Where jobs' folders are ($LIKENESS_HOME/jobs). */
    public Path jobsFolder() {
        return jobsFolder;
    }

    /** Jobs of an organisation (all when null), newest first. */
    public List<Job> list(String org, int offset, int limit) {
        return table.list(org, offset, limit).stream().map(Job::of).toList();
    }

    /**
     * Cancels a job: a queued one at once, a running one at its use case's next check (its state becomes cancelled
     * when it stops). Returns the job as it is now; false-y (unchanged) when it had already finished.
     */
    public Job cancel(String id, String why) {
        String reason = why == null ? "cancelled" : why;
        if (table.transition(id, JobState.QUEUED.word(), JobState.CANCELLED.word(), null, Instant.now(), null, reason, false)) {
            announce(new JobEvent(id, JobEvent.STATE, JobState.CANCELLED, null, 0, 0, reason));
        } else {
            Cancellation c = running.get(id);
            if (c != null) {
                c.cancel(reason);
            }
        }
        return get(id);
    }

    /**
     * Hears every event of a job from now on; the job's current state comes first. Close the returned handle to stop.
     * A listener must be quick (it runs on the job's worker): an SSE route hands events to its own queue.
     */
    public AutoCloseable subscribe(String id, Consumer<JobEvent> listener) {
        List<Consumer<JobEvent>> list = subscribers.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>());
        list.add(listener);
        Job j = get(id);
        if (j != null) {
            listener.accept(new JobEvent(id, JobEvent.STATE, j.state(), j.stage(), j.done(), j.total(), j.error()));
        }
        return () -> list.remove(listener);
    }

    private void announce(JobEvent e) {
        List<Consumer<JobEvent>> list = subscribers.get(e.jobId());
        if (list != null) {
            for (Consumer<JobEvent> l : list) {
                try {
                    l.accept(e);
                } catch (RuntimeException ignored) {
                    // a subscriber that fails (a closed connection) does not stop the job
                }
            }
        }
    }

    private void execute(String id) {
        JobRow row = table.find(id);
        if (row == null || closing || !row.state().equals(JobState.QUEUED.word())) {
            return; // cancelled while queued, or the server is stopping (it stays queued for the next start)
        }
        boolean resumed = row.attempts() > 0;
        Cancellation cancellation = new Cancellation();
        running.put(id, cancellation);
        try {
            if (!table.transition(id, JobState.QUEUED.word(), JobState.RUNNING.word(), Instant.now(), null, null, null, true)) {
                return;
            }
            announce(new JobEvent(id, JobEvent.STATE, JobState.RUNNING, null, 0, -1, null));
            Job job = Job.of(table.find(id));
            JobListener listener = new JobListener(job);
            JsonNode result;
            try {
                result = runners.runner(job.kind(), config.threadsPerJob()).run(job, resumed, listener, cancellation);
            } catch (CancelledException e) {
                if (closing) {
                    return; // stopped by a graceful shutdown: still running in the table, so the next start resumes or fails it
                }
                finish(id, JobState.CANCELLED, null, e.getMessage());
                return;
            } catch (Exception | Error e) {
                if (closing && cancellation.cancelled()) {
                    return;
                }
                finish(id, JobState.FAILED, null, message(e));
                return;
            } finally {
                listener.flush();
            }
            finish(id, JobState.SUCCEEDED, Json.MAPPER.writeValueAsString(result), null);
        } catch (IOException | RuntimeException e) {
            finish(id, JobState.FAILED, null, message(e));
        } finally {
            running.remove(id);
        }
    }

    private void finish(String id, JobState state, String result, String error) {
        table.transition(id, JobState.RUNNING.word(), state.word(), null, Instant.now(), result, error, false);
        announce(new JobEvent(id, JobEvent.STATE, state, null, 0, 0, error));
    }

    /** One line: what failed and why (no stack trace, no biometric data: messages name files and reasons). */
    static String message(Throwable e) {
        String m = e instanceof UncheckedIOException u && u.getCause() != null ? IoMessages.of(u.getCause())
                : e instanceof IOException io ? IoMessages.of(io) : e.getMessage();
        if (m == null || m.isBlank()) {
            m = e.getClass().getSimpleName();
        }
        m = m.replace('\n', ' ').replace('\r', ' ');
        return m.length() > 2000 ? m.substring(0, 2000) + "…" : m;
    }

    /**
     * Stops taking jobs and stops the running ones at their next check; they stay "running" in the table, so the next
     * start resumes them (or fails them with {@value #INTERRUPTED}). Waits up to {@code seconds} for the workers.
     */
    public void shutdown(long seconds) {
        closing = true;
        running.values().forEach(c -> c.cancel("server shutting down"));
        pool.shutdown();
        try {
            pool.awaitTermination(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pool.shutdownNow();
    }

    @Override
    public void close() {
        shutdown(30);
    }

    /** Progress to the table (at most once a second) and to subscribers; problems to the job's problems.txt. */
    private final class JobListener implements Listener {
        private final Job job;
        private String stage;
        private long done;
        private long total = -1;
        private long problems;
        private long lastWrite;
        private long lastEvent;

        JobListener(Job job) {
            this.job = job;
        }

        @Override
        public Progress progress(String stageName, long stageTotal) {
            return new Progress(stageName, stageTotal, (label, d, t, finished) -> step(label, d, t, finished));
        }

        private synchronized void step(String label, long d, long t, boolean finished) {
            stage = label;
            done = d;
            total = t;
            long now = System.nanoTime();
            if (finished || now - lastWrite >= PROGRESS_WRITE_NANOS) {
                lastWrite = now;
                table.progress(job.id(), stage, done, total, problems);
            }
            if (finished || now - lastEvent >= PROGRESS_EVENT_NANOS) {
                lastEvent = now;
                announce(new JobEvent(job.id(), JobEvent.PROGRESS, JobState.RUNNING, stage, done, total, null));
            }
        }

        @Override
        public synchronized void problem(String path, String reason) {
            problems++;
            String line = org.likeness.files.TerminalText.escape(path) + ": " + reason;
            try {
                Files.writeString(job.folder().resolve(PROBLEMS_FILE), line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            } catch (IOException e) {
                // the count in the table still says it happened
            }
            announce(new JobEvent(job.id(), JobEvent.PROBLEM, JobState.RUNNING, stage, done, total, line));
        }

        synchronized void flush() {
            table.progress(job.id(), stage, done, total, problems);
        }
    }
}
