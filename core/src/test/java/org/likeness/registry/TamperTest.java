package org.likeness.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rows edited behind the log's back (the registry must act only on state the hash-chained log vouches for) and a
 * database rolled back or truncated (the log head file outside it must catch the lost entries), on H2 and PostgreSQL.
 */
class TamperTest {
    private static final Instant FROM = Instant.parse("2025-01-01T00:00:00Z");
    private static final Instant UNTIL = Instant.parse("2030-01-01T00:00:00Z");

    @TempDir
    Path tmp;

    static java.util.stream.Stream<String> kinds() {
        return TestDatabase.kinds();
    }

    /** alice: consent 1 (training) revoked, consent 2 (evaluation) until 2030; bob erased. */
    private static void fill(TestDatabase db, MasterKey key) {
        Registry.init(db.location(), key, "tester");
        try (Registry r = Registry.open(db.location(), key, "tester")) {
            r.addSubject("alice", "Alice", TestVectors.MODEL, List.of(TestVectors.face(1)));
            r.addSubject("bob", "Bob", TestVectors.MODEL, List.of(TestVectors.face(2)));
            r.grant(new ConsentGrant("alice", Purpose.TRAINING, FROM, null, "basis", null));
            r.grant(new ConsentGrant("alice", Purpose.EVALUATION, FROM, UNTIL, "basis", null));
            r.revoke("alice", Purpose.TRAINING);
            r.erase("bob");
            assertThat(r.verify().intact()).as(String.valueOf(r.verify().problem())).isTrue();
            assertThat(r.status("alice", Purpose.TRAINING, Instant.now()).state()).isEqualTo(ConsentState.REVOKED);
        }
    }

    private static void sql(TestDatabase db, MasterKey key, String... statements) throws Exception {
        try (Connection c = db.connect(key); Statement s = c.createStatement()) {
            for (String st : statements) {
                s.execute(st);
            }
        }
    }

    /** The edit is refused where consent is used, and log verify names the table, row, field and both values. */
    private static void assertCaught(TestDatabase db, MasterKey key, String table, String id, String field) {
        try (Registry r = Registry.open(db.location(), key, "auditor")) {
            assertThatThrownBy(() -> r.status("alice", Purpose.TRAINING, Instant.now()))
                    .isInstanceOf(TamperException.class).hasMessageContaining("differ from the log");
            assertThatThrownBy(() -> r.statuses(List.of("alice", "bob"), Purpose.EVALUATION, Instant.now()))
                    .isInstanceOf(TamperException.class);
            RegistryVerification v = r.verify();
            assertThat(v.intact()).isFalse();
            assertThat(v.chain().intact()).as("the chain itself was not touched").isTrue();
            assertThat(v.rows()).anySatisfy(m -> {
                assertThat(m.table()).isEqualTo(table);
                assertThat(m.id()).isEqualTo(id);
                assertThat(m.field()).isEqualTo(field);
            });
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void unRevokingAConsentIsCaught(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind, tmp); MasterKey key = MasterKey.random()) {
            fill(db, key);
            sql(db, key, "UPDATE consent SET revoked_at = NULL WHERE id = 1");
            assertCaught(db, key, "consent", "1", "revoked_at");
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void changingAPurposeIsCaught(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind, tmp); MasterKey key = MasterKey.random()) {
            fill(db, key);
            sql(db, key, "UPDATE consent SET purpose = 'training' WHERE id = 2");
            assertCaught(db, key, "consent", "2", "purpose");
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void extendingValidUntilIsCaught(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind, tmp); MasterKey key = MasterKey.random()) {
            fill(db, key);
            sql(db, key, "UPDATE consent SET valid_until = NULL WHERE id = 2");
            assertCaught(db, key, "consent", "2", "valid_until");
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void aConsentRowWithoutLogEntryIsCaught(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind, tmp); MasterKey key = MasterKey.random()) {
            fill(db, key);
            sql(db, key, "INSERT INTO consent (id, subject_id, purpose, valid_from, recorded_by, recorded_at)"
                    + " VALUES (99, 'alice', 'training', TIMESTAMP WITH TIME ZONE '2025-01-01 00:00:00+00', 'mallory',"
                    + " TIMESTAMP WITH TIME ZONE '2025-01-01 00:00:00+00')");
            assertCaught(db, key, "consent", "99", "row");
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void aDeletedRevokedConsentIsCaught(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind, tmp); MasterKey key = MasterKey.random()) {
            fill(db, key);
            sql(db, key, "DELETE FROM consent WHERE id = 1");
            assertCaught(db, key, "consent", "1", "row");
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void unErasingASubjectIsCaught(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind, tmp); MasterKey key = MasterKey.random()) {
            fill(db, key);
            sql(db, key, "UPDATE subject SET erased_at = NULL WHERE id = 'bob'");
            assertCaught(db, key, "subject", "bob", "erased_at");
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void aForgedEnrolmentAndSubjectAreCaughtBeforeIdentification(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind, tmp); MasterKey key = MasterKey.random()) {
            fill(db, key);
            sql(db, key, "INSERT INTO subject (id, created_at) VALUES ('mallory', TIMESTAMP WITH TIME ZONE '2025-01-01 00:00:00+00')",
                    "UPDATE enrolment SET source_sha256 = '" + "0".repeat(64) + "' WHERE subject_id = 'alice'");
            try (Registry r = Registry.open(db.location(), key, "auditor", RegistryTest.POLICY, TemplateGallery.Search.AUTO)) {
                assertThatThrownBy(() -> r.identify(TestVectors.face(1).embedding(), TestVectors.MODEL))
                        .isInstanceOf(TamperException.class);
                assertThat(r.verify().rows()).extracting(RowMismatch::table).contains("subject", "enrolment");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void aRewrittenChainIsCaughtByTheHeadFile(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind, tmp); MasterKey key = MasterKey.random()) {
            fill(db, key);
            // an insider who edits the revocation's payload and recomputes every later hash and the head row: the chain
            // verifies, but the head file (MACed with the master key) records the old last hash
            List<LogEntry> all;
            try (Registry r = Registry.open(db.location(), key, "x")) {
                all = r.log(1, 1000);
            }
            try (Connection c = db.connect(key)) {
                String prev = RegistryLog.GENESIS;
                for (LogEntry e : all) {
                    String payload = e.action().equals("consent.revoke") ? e.payload().replace("2", "3") : e.payload();
                    String h = RegistryLog.hash(e.seq(), e.at(), e.actor(), e.action(), payload, prev);
                    try (PreparedStatement ps = c.prepareStatement("UPDATE log_entry SET payload = ?, prev_hash = ?, hash = ? WHERE seq = ?")) {
                        ps.setString(1, payload);
                        ps.setString(2, prev);
                        ps.setString(3, h);
                        ps.setLong(4, e.seq());
                        ps.executeUpdate();
                    }
                    prev = h;
                }
                try (PreparedStatement ps = c.prepareStatement("UPDATE log_head SET hash = ? WHERE id = 1")) {
                    ps.setString(1, prev);
                    ps.executeUpdate();
                }
            }
            assertThatThrownBy(() -> Registry.open(db.location(), key, "x"))
                    .isInstanceOf(TamperException.class).hasMessageContaining("diverges from its log head file");
            try (Registry r = Registry.inspect(db.location(), key, "x")) {
                RegistryVerification v = r.verify();
                assertThat(v.chain().intact()).isTrue();
                assertThat(v.intact()).isFalse();
                assertThat(v.anchorProblem()).contains("diverges");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void aRolledBackLogIsRefused(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind, tmp); MasterKey key = MasterKey.random()) {
            fill(db, key);
            LogEntry beforeErasure;
            try (Registry r = Registry.open(db.location(), key, "x")) {
                List<LogEntry> all = r.log(1, 1000);
                beforeErasure = all.stream().filter(e -> e.action().equals("subject.erase")).findFirst().orElseThrow();
                beforeErasure = all.get((int) beforeErasure.seq() - 2);
            }
            // roll back the log consistently (entries and head row) to before bob's erasure, and un-erase bob
            sql(db, key, "DELETE FROM log_entry WHERE seq > " + beforeErasure.seq(),
                    "UPDATE log_head SET seq = " + beforeErasure.seq() + ", hash = '" + beforeErasure.hash() + "' WHERE id = 1",
                    "UPDATE subject SET erased_at = NULL WHERE id = 'bob'");
            assertThatThrownBy(() -> Registry.open(db.location(), key, "x"))
                    .isInstanceOf(TamperException.class).hasMessageContaining("has lost log entries")
                    .hasMessageContaining("restored from an older copy");
            try (Registry r = Registry.inspect(db.location(), key, "x")) {
                assertThat(r.verify().intact()).isFalse();
                assertThat(r.verify().chain().intact()).as("the shorter chain is consistent in itself").isTrue();
            }
        }
    }

    @Test
    void anOlderCopyOfTheH2FileIsRefused() throws Exception {
        try (TestDatabase db = TestDatabase.create("h2", tmp); MasterKey key = MasterKey.random()) {
            Registry.init(db.location(), key, "tester");
            try (Registry r = Registry.open(db.location(), key, "tester")) {
                r.addSubject("bob", "Bob", TestVectors.MODEL, List.of(TestVectors.face(2)));
            }
            Path file = Path.of(db.location().h2File() + ".mv.db");
            Path old = tmp.resolve("old.mv.db");
            Files.copy(file, old);
            try (Registry r = Registry.open(db.location(), key, "tester")) {
                r.erase("bob");
            }
            Files.copy(old, file, StandardCopyOption.REPLACE_EXISTING);
            assertThatThrownBy(() -> Registry.open(db.location(), key, "tester"))
                    .isInstanceOf(TamperException.class).hasMessageContaining("has lost log entries");
        }
    }

    @Test
    void aTruncatedH2FileIsRefused() throws Exception {
        try (TestDatabase db = TestDatabase.create("h2", tmp); MasterKey key = MasterKey.random()) {
            Registry.init(db.location(), key, "tester");
            try (Registry r = Registry.open(db.location(), key, "tester")) {
                for (int i = 0; i < 40; i++) {
                    r.addSubject("s" + i, "S", TestVectors.MODEL, List.of(TestVectors.face(10 + i)));
                }
                r.erase("s0");
            }
            Path file = Path.of(db.location().h2File() + ".mv.db");
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.truncate(ch.size() / 2);
            }
            // H2 either cannot open the half file or opens an older state: never the erased subject back, never silently
            assertThatThrownBy(() -> {
                try (Registry r = Registry.open(db.location(), key, "tester")) {
                    r.status("s0", Purpose.TRAINING, Instant.now());
                }
            }).isInstanceOf(RegistryException.class);
        }
    }

    @Test
    void aLostOrReplacedKeyStoreIsReportedByLogVerify() throws Exception {
        try (TestDatabase db = TestDatabase.create("h2", tmp); MasterKey key = MasterKey.random()) {
            fill(db, key);
            Path keys = Path.of(db.location().h2File() + ".keys");
            Path saved = tmp.resolve("saved.keys");
            Files.copy(keys, saved);
            Files.delete(keys);
            try (Registry r = Registry.open(db.location(), key, "auditor")) {
                RegistryVerification v = r.verify();
                assertThat(v.intact()).as("alice's data key is gone: her templates cannot be used").isFalse();
                assertThat(v.rows()).anySatisfy(m -> {
                    assertThat(m.table()).isEqualTo("subject_key");
                    assertThat(m.id()).isEqualTo("alice");
                    assertThat(m.field()).isEqualTo("key store slot");
                });
            }
            // another registry's key store (same format, other keys) in its place
            try (TestDatabase other = TestDatabase.create("h2", tmp.resolve("other")); MasterKey k2 = MasterKey.random()) {
                fill(other, k2);
                Files.copy(Path.of(other.location().h2File() + ".keys"), keys);
            }
            try (Registry r = Registry.open(db.location(), key, "auditor")) {
                assertThat(r.verify().rows()).anySatisfy(m -> assertThat(m.field()).isEqualTo("key store slot"));
            }
            Files.copy(saved, keys, StandardCopyOption.REPLACE_EXISTING);
            try (Registry r = Registry.open(db.location(), key, "auditor")) {
                assertThat(r.verify().intact()).isTrue();
            }
        }
    }
}
