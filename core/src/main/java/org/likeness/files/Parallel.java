package org.likeness.files;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The one way Likeness works on several threads: a fixed pool of exactly the {@code --threads} the user asked for
 * (never the JVM's common pool, which ignores it), daemon threads named after the job, and an ordered parallel map.
 */
public final class Parallel {
    private Parallel() {
    }

    /** A fixed pool of {@code threads} (at least 1) daemon threads named {@code likeness-NAME}. */
    public static ExecutorService pool(int threads, String name) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threads);
        }
        String threadName = "likeness-" + name;
        return Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /** How long {@link #stop} waits for tasks already running: the longest a single photo's work takes, with room. */
    static final long STOP_WAIT_SECONDS = 120;

    /**
     * Stops a pool and waits for the tasks already running to return, so that what they use (an ONNX session, a
     * decoder's native buffers) may be closed afterwards: closing it under a running task crashes the JVM in native
     * code. Queued tasks are dropped.
     */
    public static void stop(ExecutorService pool) {
        pool.shutdownNow();
        boolean interrupted = false;
        while (true) {
            try {
                pool.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
                break;
            } catch (InterruptedException e) {
                interrupted = true; // keep waiting: returning now would let the caller free what the tasks still use
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * {@code f} applied to every item on at most {@code threads} threads, results in the items' order. With one thread
     * (or one item) it runs on the caller's thread. The first failure is rethrown (unchecked as it was thrown; a checked
     * one wrapped in a RuntimeException) after the other workers stop taking items.
     */
    public static <T, R> List<R> map(List<T> items, int threads, Function<? super T, ? extends R> f) {
        int n = Math.min(Math.max(1, threads), items.size());
        if (n <= 1) {
            List<R> out = new ArrayList<>(items.size());
            for (T t : items) {
                out.add(f.apply(t));
            }
            return out;
        }
        Object[] results = new Object[items.size()];
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = pool(n, "map");
        List<Future<?>> workers = new ArrayList<>(n);
        try {
            for (int w = 0; w < n; w++) {
                workers.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < results.length; i = next.getAndIncrement()) {
                        results[i] = f.apply(items.get(i));
                    }
                }));
            }
            for (Future<?> w : workers) {
                try {
                    w.get();
                } catch (ExecutionException e) {
                    next.set(results.length); // the others stop at their next item
                    Throwable c = e.getCause();
                    if (c instanceof RuntimeException re) {
                        throw re;
                    }
                    if (c instanceof Error err) {
                        throw err;
                    }
                    throw new RuntimeException(c);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
        } finally {
            stop(pool);
        }
        @SuppressWarnings("unchecked")
        List<R> out = (List<R>) Arrays.asList(results);
        return new ArrayList<>(out);
    }
}
