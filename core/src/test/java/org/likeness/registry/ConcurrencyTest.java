package org.likeness.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** 8 threads × 1,000 grants and revokes: nothing is lost and the log verifies. */
class ConcurrencyTest {
    static final int THREADS = 8;
    static final int OPS_PER_THREAD = 1_000;

    @TempDir
    Path tmp;

    static java.util.stream.Stream<String> kinds() {
        return TestDatabase.kinds();
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void parallelGrantsAndRevokesLoseNothing(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind, tmp); MasterKey key = MasterKey.random()) {
            Registry.init(db.location(), key, "tester");
            try (Registry r = Registry.open(db.location(), key, "tester")) {
                for (int t = 0; t < THREADS; t++) {
                    r.addSubject("s" + t, null, null, List.of());
                }
                ExecutorService pool = Executors.newFixedThreadPool(THREADS);
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    String subject = "s" + t;
                    done.add(pool.submit(() -> {
                        for (int i = 0; i < OPS_PER_THREAD; i++) {
                            if (i % 2 == 0) {
                                r.grant(new ConsentGrant(subject, Purpose.TRAINING, Instant.parse("2025-01-01T00:00:00Z"),
                                        null, "op " + i, null));
                            } else {
                                assertThat(r.revoke(subject, Purpose.TRAINING)).hasSize(1);
                            }
                        }
                        return null;
                    }));
                }
                pool.shutdown();
                assertThat(pool.awaitTermination(10, TimeUnit.MINUTES)).isTrue();
                for (Future<?> f : done) {
                    f.get();
                }

                long expected = 1 + THREADS + (long) THREADS * OPS_PER_THREAD;
                LogVerification v = r.verifyLog();
                assertThat(v.intact()).as(v.reason() == null ? "" : v.reason()).isTrue();
                assertThat(v.entries()).isEqualTo(expected);
                try (Connection c = db.connect(key);
                     PreparedStatement ps = c.prepareStatement(
                             "SELECT COUNT(*), COUNT(revoked_at) FROM consent");
                     ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertThat(rs.getLong(1)).isEqualTo(THREADS * OPS_PER_THREAD / 2);
                    assertThat(rs.getLong(2)).isEqualTo(THREADS * OPS_PER_THREAD / 2);
                }
                for (int t = 0; t < THREADS; t++) {
                    assertThat(r.status("s" + t, Purpose.TRAINING, Instant.now().plusSeconds(1)).state())
                            .isEqualTo(ConsentState.REVOKED);
                }
            }
        }
    }
}
