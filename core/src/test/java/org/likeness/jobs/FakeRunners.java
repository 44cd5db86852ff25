package org.likeness.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.likeness.app.Cancellation;
import org.likeness.app.Listener;
import org.likeness.json.Json;
import org.likeness.scan.Progress;

/**
 * Runners that take as long as a test wants: each job steps through {@code steps} progress steps, then waits until
 * {@link #release} (or runs through when released already), checking its cancellation every few milliseconds. Audit
 * jobs are resumable, the other kinds are not.
 */
final class FakeRunners implements JobEngine.Runners {
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger maxRunning = new AtomicInteger();
    final AtomicInteger started = new AtomicInteger();
    final int steps;

    FakeRunners(int steps) {
        this.steps = steps;
    }

    FakeRunners released() {
        release.countDown();
        return this;
    }

    @Override
    public JobRunner runner(JobKind kind, int threads) {
        return new JobRunner() {
            @Override
            public JsonNode run(Job job, boolean resumed, Listener listener, Cancellation cancellation) throws Exception {
                started.incrementAndGet();
                maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                try {
                    Progress p = listener.progress("fake", steps);
                    for (int i = 0; i < steps; i++) {
                        cancellation.check();
                        p.step();
                    }
                    p.finish();
                    listener.problem("bad.jpg", "not a JPEG");
                    while (!release.await(5, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                        cancellation.check();
                    }
                    return Json.MAPPER.createObjectNode().put("resumed", resumed).put("threads", threads);
                } finally {
                    running.decrementAndGet();
                }
            }

            @Override
            public boolean resumable() {
                return kind == JobKind.AUDIT;
            }
        };
    }
}
