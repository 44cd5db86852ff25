package org.likeness.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * When reading stops with an exception (a cancelled job), the work already handed to the workers has returned before
 * the exception reaches the caller, who may then close what the workers use (an ONNX session: closing it under a
 * running task crashed the JVM in native code when a server stopped during an audit).
 */
class ParallelEntriesStopTest {
    /** Hands out entries, then fails as a cancelled job's reader does. */
    static DatasetReader failingAfter(int n) {
        return new DatasetReader() {
            int i;

            @Override
            public boolean hasNext() {
                if (i >= n) {
                    throw new IllegalStateException("cancelled");
                }
                return true;
            }

            @Override
            public DatasetEntry next() {
                return DatasetEntry.ok("e" + i++, new byte[] {1});
            }

            @Override
            public void close() {
            }
        };
    }

    @Test
    void workersHaveReturnedWhenACancelledReadReachesTheCaller() {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger finished = new AtomicInteger();
        assertThatThrownBy(() -> ParallelEntries.map(failingAfter(6), e -> true, 3, e -> {
            running.incrementAndGet();
            long end = System.nanoTime() + 300_000_000L;
            while (System.nanoTime() < end) {
                Thread.onSpinWait(); // native work: an interrupt does not stop it
            }
            running.decrementAndGet();
            finished.incrementAndGet();
            return e.path();
        }, Progress.none(), "test")).isInstanceOf(IllegalStateException.class).hasMessage("cancelled");
        assertThat(running.get()).isZero();
        assertThat(finished.get()).isPositive();
    }
}
