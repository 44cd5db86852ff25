package org.likeness.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Tampering behind the registry's back is caught by verify, which names the first broken entry. */
class RegistryLogTest {
    @TempDir
    Path tmp;

    static java.util.stream.Stream<String> kinds() {
        return TestDatabase.kinds();
    }

    /** init (1) + subject.add (2) + 5 grants (3..7). */
    private static void fill(TestDatabase db, MasterKey key) {
        Registry.init(db.location(), key, "tester");
        try (Registry r = Registry.open(db.location(), key, "tester")) {
            r.addSubject("s", null, null, List.of());
            for (int i = 0; i < 5; i++) {
                r.grant(new ConsentGrant("s", Purpose.TRAINING, Instant.parse("2025-01-01T00:00:00Z"), null,
                        "basis " + i, null));
            }
            LogVerification v = r.verifyLog();
            assertThat(v.intact()).isTrue();
            assertThat(v.entries()).isEqualTo(7);
            assertThat(v.headHash()).isEqualTo(r.logHead()).isEqualTo(r.log(7, 1).get(0).hash());
        }
    }

    private static LogVerification verify(TestDatabase db, MasterKey key) {
        try (Registry r = Registry.inspect(db.location(), key, "tester")) {
            return r.verifyLog();
        }
    }

    private static void sql(TestDatabase db, MasterKey key, String... statements) throws Exception {
        try (Connection c = db.connect(key); Statement s = c.createStatement()) {
            for (String st : statements) {
                s.execute(st);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void anEditedPayloadIsCaught(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind, tmp); MasterKey key = MasterKey.random()) {
            fill(db, key);
            sql(db, key, "UPDATE log_entry SET payload = REPLACE(payload, 'basis 2', 'basis X') WHERE seq = 5");
            LogVerification v = verify(db, key);
            assertThat(v.intact()).isFalse();
            assertThat(v.firstBrokenSeq()).isEqualTo(5);
            assertThat(v.reason()).contains("entry 5 was altered");
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void anEditRecomputingTheHashBreaksTheNextLink(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind, tmp); MasterKey key = MasterKey.random()) {
            fill(db, key);
            LogEntry e;
            try (Registry r = Registry.open(db.location(), key, "tester")) {
                e = r.log(4, 1).get(0);
            }
            String forged = RegistryLog.hash(e.seq(), e.at(), "mallory", e.action(), e.payload(), e.prevHash());
            try (Connection c = db.connect(key);
                 PreparedStatement ps = c.prepareStatement("UPDATE log_entry SET actor = ?, hash = ? WHERE seq = 4")) {
                ps.setString(1, "mallory");
                ps.setString(2, forged);
                ps.executeUpdate();
            }
            LogVerification v = verify(db, key);
            assertThat(v.firstBrokenSeq()).isEqualTo(5);
            assertThat(v.reason()).contains("does not link");
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void aDeletedEntryIsCaught(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind, tmp); MasterKey key = MasterKey.random()) {
            fill(db, key);
            sql(db, key, "DELETE FROM log_entry WHERE seq = 3");
            LogVerification v = verify(db, key);
            assertThat(v.firstBrokenSeq()).isEqualTo(3);
            assertThat(v.reason()).contains("entry 3 is missing");
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void aDeletedTailIsCaughtByTheHead(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind, tmp); MasterKey key = MasterKey.random()) {
            fill(db, key);
            sql(db, key, "DELETE FROM log_entry WHERE seq >= 6");
            LogVerification v = verify(db, key);
            assertThat(v.intact()).isFalse();
            assertThat(v.firstBrokenSeq()).isEqualTo(6);
            assertThat(v.reason()).contains("deleted");
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void reorderedEntriesAreCaught(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind, tmp); MasterKey key = MasterKey.random()) {
            fill(db, key);
            // swap entries 4 and 5 by renumbering them
            sql(db, key, "UPDATE log_entry SET seq = 1000 WHERE seq = 4",
                    "UPDATE log_entry SET seq = 4 WHERE seq = 5",
                    "UPDATE log_entry SET seq = 5 WHERE seq = 1000");
            LogVerification v = verify(db, key);
            assertThat(v.intact()).isFalse();
            assertThat(v.firstBrokenSeq()).isEqualTo(4);
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void theCanonicalPayloadHasSortedKeysAndNoSpaces(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind, tmp); MasterKey key = MasterKey.random()) {
            fill(db, key);
            try (Registry r = Registry.open(db.location(), key, "tester")) {
                LogEntry grant = r.log(3, 1).get(0);
                assertThat(grant.action()).isEqualTo("consent.grant");
                assertThat(grant.payload()).isEqualTo("{\"consent\":1,\"evidence_sha256\":null,\"legal_basis\":"
                        + "\"basis 0\",\"purpose\":\"training\",\"subject\":\"s\",\"valid_from\":"
                        + "\"2025-01-01T00:00:00Z\",\"valid_until\":null}");
                assertThat(grant.prevHash()).isEqualTo(r.log(2, 1).get(0).hash());
                assertThat(r.log(1, 1).get(0).prevHash()).isEqualTo(RegistryLog.GENESIS);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void otherStagesCanRecordEventsButNeverVectors(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind, tmp); MasterKey key = MasterKey.random()) {
            fill(db, key);
            try (Registry r = Registry.open(db.location(), key, "auditor")) {
                LogEntry e = r.record("audit.run", java.util.Map.of("dataset_sha256", TestVectors.sha(1),
                        "purpose", "training", "findings", 3));
                assertThat(e.seq()).isEqualTo(8);
                assertThat(e.actor()).isEqualTo("auditor");
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> r.record("audit.run",
                        java.util.Map.of("probe", TestVectors.unit(1))))
                        .isInstanceOf(InvalidInputException.class).hasMessageContaining("holds a float[]");
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> r.record("DROP TABLE", java.util.Map.of()))
                        .isInstanceOf(InvalidInputException.class).hasMessageContaining("'DROP TABLE'");
                assertThat(r.verifyLog().entries()).isEqualTo(8);
            }
        }
    }
}
