package org.likeness.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.registry.MasterKey;
import org.likeness.registry.Registry;
import org.likeness.registry.RegistryLocation;

/** The job engine on a real registry database with runners that wait for the test: queue bound, cancel, events, restart after SIGKILL. */
class JobEngineTest {
    @TempDir
    Path tmp;

    final Map<String, String> env = new HashMap<>();

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    Registry registry() throws Exception {
        if (env.isEmpty()) {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            env.put("LIKENESS_HOME", tmp.resolve("home").toString());
            env.put(MasterKey.ENV, Base64.getEncoder().encodeToString(key));
            try (MasterKey k = MasterKey.resolve(null, env)) {
                Registry.init(RegistryLocation.resolve(null, env), k, "test");
            }
        }
        MasterKey k = MasterKey.resolve(null, env);
        return Registry.open(RegistryLocation.resolve(null, env), k, "test");
    }

    @Test
    void atMostTheConfiguredNumberOfJobsRunAndTheRestWaitQueued() throws Exception {
        FakeRunners runners = new FakeRunners(3);
        try (Registry r = registry(); JobEngine engine = new JobEngine(r.jobs(), tmp.resolve("jobs"), runners, new JobEngine.Config(2, 3))) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                ids.add(engine.submit(JobKind.AUDIT, Map.of("dataset", "d" + i), "org-a", "acct-1").id());
            }
            await("two running", () -> runners.running.get() == 2);
            Thread.sleep(200); // time for a third to start, were the bound not kept
            assertThat(runners.maxRunning.get()).isEqualTo(2);
            assertThat(ids.stream().map(engine::get).map(Job::state).toList())
                    .containsExactlyInAnyOrder(JobState.RUNNING, JobState.RUNNING, JobState.QUEUED, JobState.QUEUED, JobState.QUEUED);
            runners.release.countDown();
            await("all finished", () -> ids.stream().allMatch(id -> engine.get(id).state() == JobState.SUCCEEDED));
            assertThat(runners.maxRunning.get()).isEqualTo(2);
            Job done = engine.get(ids.get(4));
            assertThat(done.result().get("threads").asInt()).isEqualTo(3);
            assertThat(done.done()).isEqualTo(3);
            assertThat(done.total()).isEqualTo(3);
            assertThat(done.problems()).isEqualTo(1);
            assertThat(Files.readString(done.folder().resolve(JobEngine.PROBLEMS_FILE))).isEqualTo("bad.jpg: not a JPEG\n");
            assertThat(done.org()).isEqualTo("org-a");
            assertThat(done.accountId()).isEqualTo("acct-1");
            assertThat(engine.list("org-a", 0, 10)).hasSize(5);
            assertThat(engine.list("org-b", 0, 10)).isEmpty();
        }
    }

    @Test
    void aRunningJobStopsWhenCancelledAndAQueuedOneNeverStarts() throws Exception {
        FakeRunners runners = new FakeRunners(1);
        try (Registry r = registry(); JobEngine engine = new JobEngine(r.jobs(), tmp.resolve("jobs"), runners, new JobEngine.Config(1, 1))) {
            String running = engine.submit(JobKind.AUDIT, Map.of(), null, null).id();
            String queued = engine.submit(JobKind.AUDIT, Map.of(), null, null).id();
            await("first running", () -> engine.get(running).state() == JobState.RUNNING);
            assertThat(engine.cancel(queued, "cancelled by acct-1").state()).isEqualTo(JobState.CANCELLED);
            engine.cancel(running, "cancelled by acct-1");
            await("first cancelled", () -> engine.get(running).state() == JobState.CANCELLED);
            assertThat(engine.get(running).error()).isEqualTo("cancelled by acct-1");
            Thread.sleep(100);
            assertThat(runners.started.get()).isEqualTo(1);
            assertThat(engine.get(queued).startedAt()).isNull();
            assertThat(engine.cancel(running, "again").state()).isEqualTo(JobState.CANCELLED); // a finished job stays as it is
        }
    }

    @Test
    void aSubscriberHearsStateProgressProblemsAndTheEnd() throws Exception {
        FakeRunners runners = new FakeRunners(4).released();
        try (Registry r = registry(); JobEngine engine = new JobEngine(r.jobs(), tmp.resolve("jobs"), runners, new JobEngine.Config(1, 1))) {
            FakeRunners blocker = runners;
            String id = engine.submit(JobKind.TRACE, Map.of(), null, null).id();
            List<JobEvent> events = new CopyOnWriteArrayList<>();
            try (AutoCloseable s = engine.subscribe(id, events::add)) {
                await("finished", () -> engine.get(id).state().finished());
                await("last event", () -> events.stream().anyMatch(e -> e.state() == JobState.SUCCEEDED));
            }
            assertThat(blocker.started.get()).isEqualTo(1);
            assertThat(events).extracting(JobEvent::type).contains(JobEvent.STATE, JobEvent.PROGRESS, JobEvent.PROBLEM);
            assertThat(events.get(events.size() - 1)).satisfies(e -> {
                assertThat(e.type()).isEqualTo(JobEvent.STATE);
                assertThat(e.state()).isEqualTo(JobState.SUCCEEDED);
            });
            assertThat(events).filteredOn(e -> e.type().equals(JobEvent.PROGRESS)).last()
                    .satisfies(e -> assertThat(e.done()).isEqualTo(4));
        }
    }

    /**
     * A server (a child JVM) with a resumable and a non-resumable job running is killed with SIGKILL; the next start
     * resumes the first to success and fails the second with the reason. Nothing is lost.
     */
    @Test
    void afterAKillRunningJobsResumeOrFailWithTheReason() throws Exception {
        registry().close();
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), JobServerChild.class.getName(), tmp.resolve("jobs").toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(tmp.resolve("child.err").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("LIKENESS_") || k.startsWith("PG")); // hermetic
        pb.environment().putAll(env);
        Process child = pb.start();
        String audit;
        String trace;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            audit = out.readLine();
            trace = out.readLine();
            String started = out.readLine();
            assertThat(started).as("child: %s", Files.exists(tmp.resolve("child.err")) ? Files.readString(tmp.resolve("child.err")) : "")
                    .isEqualTo("running");
            child.destroyForcibly(); // SIGKILL on Linux
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        FakeRunners runners = new FakeRunners(2).released();
        try (Registry r = registry(); JobEngine engine = new JobEngine(r.jobs(), tmp.resolve("jobs"), runners, new JobEngine.Config(2, 1))) {
            assertThat(engine.get(audit).state()).isEqualTo(JobState.RUNNING); // as the killed server left it
            assertThat(engine.get(trace).state()).isEqualTo(JobState.RUNNING);
            assertThat(engine.start()).containsExactly(trace);
            Job failed = engine.get(trace);
            assertThat(failed.state()).isEqualTo(JobState.FAILED);
            assertThat(failed.error()).isEqualTo(JobEngine.INTERRUPTED);
            await("audit resumed", () -> engine.get(audit).state() == JobState.SUCCEEDED);
            Job resumed = engine.get(audit);
            assertThat(resumed.attempts()).isEqualTo(2);
            assertThat(resumed.result().get("resumed").asBoolean()).isTrue();
            assertThat(runners.started.get()).isEqualTo(1);
        }
    }
}
