package org.likeness.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.account.Role;

/**
 * Graceful shutdown: a request in flight finishes with its answer, a new one gets 503, and only then are the route
 * groups stopped (where the job engine checkpoints); the readiness probe says so while draining.
 */
class ServeShutdownTest {
    @TempDir
    Path tmp;

    /** A route group whose one route takes a while, and which notes when it is stopped. */
    static final class Slow implements RouteGroup {
        final CountDownLatch entered = new CountDownLatch(1);
        final AtomicLong finishedAt = new AtomicLong();
        final AtomicLong stoppedAt = new AtomicLong();

        @Override
        public void register(Routes routes, Services services) {
            routes.get("/test/slow", "Answers after a second").tag("test").roles(Role.HOLDER).handle(call -> {
                entered.countDown();
                Thread.sleep(1_000);
                finishedAt.set(System.nanoTime());
                call.json(java.util.Map.of("done", true));
            });
        }

        @Override
        public void stop() {
            stoppedAt.set(System.nanoTime());
        }
    }

    @Test
    void inFlightRequestsFinishNewOnesAreRefusedThenGroupsStop() throws Exception {
        Slow slow = new Slow();
        TestServer s = TestServer.start("h2", tmp, new Faces(TestServer.FakeFaces::new), ServerConfig.DEFAULT_MAX_UPLOAD, List.of(slow));
        try {
            String key = s.account("holder", Role.HOLDER, "default", null, false);
            assertThat(s.send("GET", s.base() + "/readyz", java.util.Map.of(), null).status()).isEqualTo(200);
            CompletableFuture<TestServer.Reply> inFlight = CompletableFuture.supplyAsync(() -> s.get("/test/slow", key));
            assertThat(slow.entered.await(10, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Void> stopping = CompletableFuture.runAsync(s.server::stop);
            Thread.sleep(200);
            TestServer.Reply refused = s.get("/me", key);
            assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
            assertThat(refused.json().get("type").asText()).isEqualTo("urn:likeness:problem:unavailable");
            TestServer.Reply done = inFlight.get(20, TimeUnit.SECONDS);
            assertThat(done.status()).as(done.toString()).isEqualTo(200);
            stopping.get(20, TimeUnit.SECONDS);
            assertThat(slow.stoppedAt.get()).as("groups stop after the request in flight finished")
                    .isGreaterThan(slow.finishedAt.get()).isPositive();
            assertThat(s.accessLog()).contains("\"event\":\"draining\"").contains("\"event\":\"stopped\"");
        } finally {
            s.close();
        }
    }
}
