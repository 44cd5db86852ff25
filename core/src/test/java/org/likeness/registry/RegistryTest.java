package org.likeness.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RegistryTest {
    static final double THRESHOLD = 0.5;
    static final MatchPolicy POLICY = new MatchPolicy(THRESHOLD, MatchPolicy.PROVISIONAL_MARGIN);

    @TempDir
    Path tmp;

    static java.util.stream.Stream<String> kinds() {
        return TestDatabase.kinds();
    }

    private Registry open(TestDatabase db, MasterKey key) {
        Registry.init(db.location(), key, "tester");
        return Registry.open(db.location(), key, "tester", POLICY, TemplateGallery.Search.AUTO);
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void initIsIdempotentAndAWrongMasterKeyIsAClearError(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind, tmp); MasterKey key = MasterKey.random();
             MasterKey other = MasterKey.random()) {
            assertThat(Registry.init(db.location(), key, "tester")).isTrue();
            assertThat(Registry.init(db.location(), key, "tester")).isFalse();
            assertThatThrownBy(() -> Registry.open(db.location(), other, "tester"))
                    .isInstanceOf(MasterKeyException.class)
                    .hasMessageContaining("master key does not match this registry");
            assertThatThrownBy(() -> Registry.init(db.location(), other, "tester"))
                    .isInstanceOf(MasterKeyException.class)
                    .hasMessageContaining("master key does not match this registry");
            try (Registry r = Registry.open(db.location(), key, "tester")) {
                assertThat(r.verifyLog().entries()).isEqualTo(1);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void openingAnUninitialisedRegistrySaysToRunInit(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind, tmp); MasterKey key = MasterKey.random()) {
            assertThatThrownBy(() -> Registry.open(db.location(), key, "tester"))
                    .isInstanceOf(NotFoundException.class).hasMessageContaining("registry init");
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void templatesAreStoredEncryptedAndIdentifiedFailClosed(String kind) throws Exception {
        float[] alice = TestVectors.unit(1);
        float[] bob = TestVectors.unit(2);
        try (TestDatabase db = TestDatabase.create(kind, tmp); MasterKey key = MasterKey.random();
             Registry r = open(db, key)) {
            r.addSubject("alice", "Alice", TestVectors.MODEL, List.of(new EnrolFace(alice, 0.9, TestVectors.sha(1))));
            r.addSubject("bob", "Bob", TestVectors.MODEL, List.of(new EnrolFace(bob, 0.8, TestVectors.sha(2))));

            assertThat(r.identify(TestVectors.near(alice, 0.8, 10), TestVectors.MODEL).subject()).contains("alice");
            Identification stranger = r.identify(TestVectors.unit(99), TestVectors.MODEL);
            assertThat(stranger.outcome()).isEqualTo(Identification.Outcome.BELOW_THRESHOLD);
            assertThat(stranger.subject()).isEmpty();
            float[] between = new float[TestVectors.DIMS];
            for (int i = 0; i < between.length; i++) {
                between[i] = alice[i] + bob[i];
            }
            assertThat(r.identify(between, TestVectors.MODEL).outcome())
                    .isEqualTo(Identification.Outcome.AMBIGUOUS);
            assertThat(r.identify(alice, "other-model@1").outcome())
                    .isEqualTo(Identification.Outcome.EMPTY_GALLERY);
            // the identification threshold counts templates (a subject scores its best one): two here, none of another model
            assertThat(r.templateCount(TestVectors.MODEL)).isEqualTo(2);
            assertThat(r.templateCount("other-model@1")).isZero();

            try (Connection c = db.connect(key);
                 PreparedStatement ps = c.prepareStatement("SELECT template FROM enrolment");
                 ResultSet rs = ps.executeQuery()) {
                int rows = 0;
                while (rs.next()) {
                    rows++;
                    byte[] stored = rs.getBytes(1);
                    assertThat(stored).hasSize(1 + 12 + 512 * 4 + 16);
                    assertThat(containsFloat(stored, alice[0])).isFalse();
                }
                assertThat(rows).isEqualTo(2);
            }
        }
    }

    private static boolean containsFloat(byte[] bytes, float f) {
        int bits = Float.floatToIntBits(f);
        for (int i = 0; i + 4 <= bytes.length; i++) {
            int le = (bytes[i] & 0xff) | (bytes[i + 1] & 0xff) << 8 | (bytes[i + 2] & 0xff) << 16 | bytes[i + 3] << 24;
            if (le == bits) {
                return true;
            }
        }
        return false;
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void eraseShredsKeyAndTemplatesAndLogsWithoutBiometrics(String kind) throws Exception {
        float[] alice = TestVectors.unit(1);
        try (TestDatabase db = TestDatabase.create(kind, tmp); MasterKey key = MasterKey.random();
             Registry r = open(db, key)) {
            r.addSubject("alice", "Alice", TestVectors.MODEL, List.of(new EnrolFace(alice, 0.9, TestVectors.sha(1)),
                    TestVectors.face(3)));
            r.grant(new ConsentGrant("alice", Purpose.TRAINING, Instant.parse("2024-01-01T00:00:00Z"), null,
                    "contract", null));
            assertThat(r.identify(alice, TestVectors.MODEL).subject()).contains("alice");

            Erasure e = r.erase("alice");

            assertThat(e.templatesDestroyed()).isEqualTo(2);
            assertThat(r.subject("alice").erased()).isTrue();
            assertThat(r.subject("alice").displayName()).isNull();
            assertThat(r.enrolments("alice")).isEmpty();
            assertThat(r.identify(alice, TestVectors.MODEL).outcome())
                    .isEqualTo(Identification.Outcome.EMPTY_GALLERY);
            assertThat(r.status("alice", Purpose.TRAINING, Instant.now()).state()).isEqualTo(ConsentState.ERASED);
            try (Connection c = db.connect(key);
                 PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM subject_key");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).isZero();
            }
            List<LogEntry> log = r.log(1, 100);
            assertThat(log).extracting(LogEntry::action).contains("subject.erase");
            assertThat(log).allSatisfy(entry -> {
                assertThat(entry.payload()).doesNotContain(Float.toString(alice[0]));
                assertThat(entry.payload()).doesNotContain("Alice");
            });
            assertThat(r.verifyLog().intact()).isTrue();
            assertThatThrownBy(() -> r.erase("alice")).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("'alice' was erased");
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void statusNamesTheDecidingConsent(String kind) throws Exception {
        Instant jan = Instant.parse("2025-01-01T00:00:00Z");
        Instant jun = Instant.parse("2025-06-01T00:00:00Z");
        try (TestDatabase db = TestDatabase.create(kind, tmp); MasterKey key = MasterKey.random();
             Registry r = open(db, key)) {
            r.addSubject("s1", null, null, List.of());
            assertThat(r.status("s1", Purpose.TRAINING, jan).state()).isEqualTo(ConsentState.NO_CONSENT);
            Consent training = r.grant(new ConsentGrant("s1", Purpose.TRAINING, jan, jun, null, null));
            Consent eval = r.grant(new ConsentGrant("s1", Purpose.EVALUATION, jan, null, null, null));

            ConsentStatus march = r.status("s1", Purpose.TRAINING, Instant.parse("2025-03-01T00:00:00Z"));
            assertThat(march.state()).isEqualTo(ConsentState.CONSENTED);
            assertThat(march.consentId()).isEqualTo(training.id());
            ConsentStatus july = r.status("s1", Purpose.TRAINING, Instant.parse("2025-07-01T00:00:00Z"));
            assertThat(july.state()).isEqualTo(ConsentState.EXPIRED);
            assertThat(july.consentId()).isEqualTo(training.id());
            assertThat(r.status("s1", Purpose.TRAINING, Instant.parse("2024-07-01T00:00:00Z")).state())
                    .isEqualTo(ConsentState.NOT_YET_VALID);
            assertThat(r.status("s1", Purpose.PUBLICATION, jun).state()).isEqualTo(ConsentState.NO_CONSENT);

            r.revoke("s1", Purpose.EVALUATION);
            ConsentStatus now = r.status("s1", Purpose.EVALUATION, Instant.now().plusSeconds(1));
            assertThat(now.state()).isEqualTo(ConsentState.REVOKED);
            assertThat(now.consentId()).isEqualTo(eval.id());
            assertThat(r.status("s1", Purpose.EVALUATION, jun).state())
                    .as("revocation is not retroactive").isEqualTo(ConsentState.CONSENTED);
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void injectionStringsInEveryTextFieldAreStoredAsText(String kind) throws Exception {
        String evil = "x'); DROP TABLE subject; --";
        String evil2 = "\" OR 1=1; DELETE FROM log_entry; /*";
        try (TestDatabase db = TestDatabase.create(kind, tmp); MasterKey key = MasterKey.random()) {
            Registry.init(db.location(), key, evil2);
            try (Registry r = Registry.open(db.location(), key, evil2, POLICY, TemplateGallery.Search.AUTO)) {
                // subject ids are a safe set (docs/REGISTRY.md): such an id is refused, every other text is stored as text
                assertThatThrownBy(() -> r.addSubject(evil, evil2, evil, List.of(TestVectors.face(5))))
                        .isInstanceOf(InvalidInputException.class).hasMessageContaining("may only hold letters, digits");
                String id = "x.DROP_TABLE-subject";
                r.addSubject(id, evil2, evil, List.of(TestVectors.face(5)));
                Consent c = r.grant(new ConsentGrant(id, Purpose.TRAINING, Instant.parse("2025-01-01T00:00:00Z"),
                        null, evil2, null));

                assertThat(r.subject(id).displayName()).isEqualTo(evil2);
                assertThat(r.consents(id)).singleElement().satisfies(k -> {
                    assertThat(k.legalBasis()).isEqualTo(evil2);
                    assertThat(k.recordedBy()).isEqualTo(evil2);
                });
                assertThat(r.enrolments(id)).singleElement().extracting(Enrolment::modelId).isEqualTo(evil);
                assertThat(r.status(id, Purpose.TRAINING, Instant.now()).consentId()).isEqualTo(c.id());
                assertThat(r.subjects()).hasSize(1);
                assertThat(r.log(1, 10)).extracting(LogEntry::actor).containsOnly(evil2);
                assertThat(r.verifyLog().intact()).isTrue();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void userMistakesAreOneClearLineNamingTheInput(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind, tmp); MasterKey key = MasterKey.random();
             Registry r = open(db, key)) {
            r.addSubject("s1", "One", null, List.of());
            assertThatThrownBy(() -> r.addSubject("s1", "Again", null, List.of()))
                    .isInstanceOf(DuplicateException.class).hasMessage("subject 's1' already exists");
            assertThatThrownBy(() -> r.grant(new ConsentGrant("nobody", Purpose.TRAINING, Instant.now(), null,
                    null, null))).isInstanceOf(NotFoundException.class).hasMessage("subject 'nobody' does not exist");
            assertThatThrownBy(() -> r.status("nobody", Purpose.TRAINING, Instant.now()))
                    .isInstanceOf(NotFoundException.class).hasMessageContaining("'nobody'");
            assertThatThrownBy(() -> r.revoke("s1", Purpose.PUBLICATION))
                    .isInstanceOf(NotFoundException.class).hasMessageContaining("no active consent for purpose publication");
            assertThatThrownBy(() -> r.enrol("s1", TestVectors.MODEL, List.of(new EnrolFace(new float[3], 1, TestVectors.sha(1)))))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("zero vector");
            r.enrol("s1", TestVectors.MODEL, List.of(TestVectors.face(7)));
            assertThatThrownBy(() -> r.enrol("s1", TestVectors.MODEL, List.of(new EnrolFace(new float[] {1, 2}, 1,
                    TestVectors.sha(1))))).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("has 2 dimensions but model test-model@1 has 512");
            assertThat(r.verifyLog().intact()).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void aMasterKeyFromTheEnvironmentOpensWhatTheKeyFileCreated(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind, tmp)) {
            Path file = tmp.resolve("keys").resolve("master.key");
            try (MasterKey created = MasterKey.create(file)) {
                Registry.init(db.location(), created, "tester");
            }
            assertThat(java.nio.file.Files.getPosixFilePermissions(file))
                    .extracting(Enum::name).containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
            String base64 = java.nio.file.Files.readString(file).trim();
            try (MasterKey fromEnv = MasterKey.resolve(tmp.resolve("absent"), java.util.Map.of(MasterKey.ENV, base64));
                 Registry r = Registry.open(db.location(), fromEnv, "tester")) {
                assertThat(r.verifyLog().intact()).isTrue();
            }
            assertThatThrownBy(() -> MasterKey.create(file)).isInstanceOf(MasterKeyException.class)
                    .hasMessageContaining("already exists");
            String wrong = Base64.getEncoder().encodeToString(new byte[32]);
            assertThatThrownBy(() -> Registry.open(db.location(),
                    MasterKey.fromBase64(wrong, "environment variable LIKENESS_MASTER_KEY"), "tester"))
                    .isInstanceOf(MasterKeyException.class)
                    .hasMessageContaining("master key does not match this registry");
        }
    }
}
