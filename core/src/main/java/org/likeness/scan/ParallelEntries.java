package org.likeness.scan;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Predicate;

/**
 * Work on the entries of a dataset on several threads, results in dataset order. The reader runs on the caller's
 * thread; at most {@link #IN_FLIGHT_PER_THREAD} entries per worker are held at once, so memory stays bounded.
 */
public final class ParallelEntries {
    /** Entries read ahead per worker: enough to hide read latency, few enough to bound memory. */
    static final int IN_FLIGHT_PER_THREAD = 4;

    /** What is done with one entry. */
    public interface Work<T> {
        T apply(DatasetEntry e) throws Exception;
    }

    private ParallelEntries() {
    }

    /**
     * @param wanted which entries to work on (the others are skipped unread by the workers)
     * @param what   names the job in error messages, e.g. "trace"
     */
    public static <T> List<T> map(DatasetReader reader, Predicate<DatasetEntry> wanted, int threads, Work<T> work, Progress progress,
                                  String what) throws IOException {
        int n = Math.max(1, threads);
        ExecutorService pool = org.likeness.files.Parallel.pool(n, what);
        Semaphore inFlight = new Semaphore(IN_FLIGHT_PER_THREAD * n);
        List<Future<T>> futures = new ArrayList<>();
        List<T> out = new ArrayList<>();
        try {
            try (reader) {
                while (reader.hasNext()) {
                    DatasetEntry e = reader.next();
                    if (!wanted.test(e)) {
                        continue;
                    }
                    inFlight.acquireUninterruptibly();
                    futures.add(pool.submit(() -> {
                        try {
                            return work.apply(e);
                        } finally {
                            inFlight.release();
                            synchronized (progress) {
                                progress.step();
                            }
                        }
                    }));
                }
            }
            for (Future<T> f : futures) {
                try {
                    out.add(f.get());
                } catch (ExecutionException ex) {
                    throw new IOException(what + " failed: " + ex.getCause(), ex.getCause());
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    throw new IOException(what + " interrupted", ex);
                }
            }
        } finally {
            // also when reading or one task failed (or the job was cancelled): the others return before the caller
            // closes what they use
            org.likeness.files.Parallel.stop(pool);
        }
        progress.finish();
        return out;
    }
}
