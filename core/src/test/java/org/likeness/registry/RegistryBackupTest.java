package org.likeness.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RegistryBackup} and {@link RegistryRestore} on real H2 files: a backup holds the database only, and a restore
 * honours every erasure made after the backup (the key store, which the backup never holds, decides), destroys the keys of
 * subjects added after it, keeps consent records, and leaves a registry whose log, head file and rows verify.
 */
class RegistryBackupTest {
    private static final MatchPolicy POLICY = new MatchPolicy(0.5, 0.05);
    private static final Instant FROM = Instant.parse("2025-01-01T00:00:00Z");

    @TempDir
    Path tmp;

    private RegistryLocation loc;
    private MasterKey key;
    private final float[] alice = TestVectors.unit(11);
    private final float[] carol = TestVectors.unit(13);
    private final float[] dave = TestVectors.unit(14);
    private final float[] bob = TestVectors.unit(12);

    @BeforeEach
    void setUp() {
        loc = location("home");
        key = MasterKey.random();
    }

    @AfterEach
    void tearDown() {
        key.close();
    }

    private RegistryLocation location(String home) {
        Path h = tmp.resolve(home);
        return new RegistryLocation(RegistryLocation.defaultH2Url(h), "sa", "", h);
    }

    private Registry open() {
        return Registry.open(loc, key, "tester", POLICY, TemplateGallery.Search.AUTO);
    }

    /** alice, carol, dave enrolled, alice and carol consent to training; a collection holds alice's and carol's faces. */
    private void populate(Registry r) {
        r.addSubject("alice", "Alice A.", TestVectors.MODEL, List.of(new EnrolFace(alice, 0.9, TestVectors.sha(1))),
                List.of(new ConsentGrant("alice", Purpose.TRAINING, FROM, null, "contract", null)));
        r.addSubject("carol", "Carol C.", TestVectors.MODEL, List.of(new EnrolFace(carol, 0.9, TestVectors.sha(3))),
                List.of(new ConsentGrant("carol", Purpose.TRAINING, FROM, null, "contract", null)));
        r.addSubject("dave", "Dave D.", TestVectors.MODEL, List.of(new EnrolFace(dave, 0.9, TestVectors.sha(4))));
        r.addCollection("set", "owner", "/data/set", TestVectors.MODEL, List.of(
                new CollectionImage("a.jpg", TestVectors.sha(20), null, List.of(
                        new CollectionFace(0, 1, 2, 30, 40, "alice", 0.9, TestVectors.near(alice, 0.9, 21)),
                        new CollectionFace(1, 50, 2, 30, 40, "carol", 0.9, TestVectors.near(carol, 0.9, 22))))));
    }

    private Path keyStore(String registryId) {
        return KeyStore.fileFor(loc, registryId);
    }

    private String registryId() throws Exception {
        try (Registry r = open()) {
            return r.database().read(c -> RegistryBackup.meta(c, "registry_id"));
        }
    }

    /** The wrapped key of the subject in the live key store (the one the master key unwraps for that subject). */
    private byte[] wrappedKeyOf(String subject, String registryId) {
        TemplateCipher cipher = new TemplateCipher(key);
        return new KeyStore(keyStore(registryId)).all().values().stream().filter(w -> {
            try {
                cipher.unwrap(w, subject);
                return true;
            } catch (MasterKeyException e) {
                return false;
            }
        }).findFirst().orElseThrow();
    }

    @Test
    void aRestoreHonoursErasuresMadeAfterTheBackupAndDestroysKeysOfSubjectsAddedAfterIt() throws Exception {
        Registry.init(loc, key, "tester");
        Path backup = tmp.resolve("backup-1");
        RegistryBackup.Manifest m;
        String id = null;
        byte[] aliceKey;
        byte[] bobKey;
        byte[] carolKey;
        try (Registry r = open()) {
            populate(r);
            id = r.database().read(c -> RegistryBackup.meta(c, "registry_id"));
            aliceKey = wrappedKeyOf("alice", id);
            carolKey = wrappedKeyOf("carol", id);
            m = RegistryBackup.backup(r, backup);
            assertThat(m.registryId()).isEqualTo(id);
            r.erase("alice");
            r.revoke("carol", Purpose.TRAINING); // a withdrawal after the backup must survive the restore
            r.addSubject("bob", "Bob B.", TestVectors.MODEL, List.of(new EnrolFace(bob, 0.9, TestVectors.sha(2))));
            bobKey = wrappedKeyOf("bob", id);
            assertThat(r.identify(TestVectors.near(bob, 0.9, 30), TestVectors.MODEL).subject()).contains("bob");
        }
        assertThat(Files.readAllBytes(backup.resolve(RegistryBackup.MANIFEST))).asString().contains("\"log_seq\" : " + m.seq());

        RegistryRestore.Report rep = RegistryRestore.restore(loc, key, "tester", backup, true);

        assertThat(rep.subjectsErased()).containsExactly("alice");
        assertThat(rep.revocationsReplayed()).isEqualTo(1);
        assertThat(rep.keySlotsDestroyed()).isEqualTo(1);
        assertThat(rep.backupSeq()).isEqualTo(m.seq());
        assertThat(rep.previousSeq()).isGreaterThan(m.seq());
        assertThat(rep.lostEntries()).isEqualTo(rep.previousSeq() - m.seq());
        assertThat(rep.storage()).isEqualTo("database file compacted");
        assertThat(rep.setAside()).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(rep.setAside()))).isEqualTo("rw-------");
        Path dbFile = Path.of(loc.h2File() + ".mv.db");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dbFile))).isEqualTo("rw-------");
        assertThat(Path.of(loc.h2File() + "-restore.mv.db")).doesNotExist();

        // the key store: alice's slot stays zero, bob's slot (his rows are gone) is overwritten, carol's is live
        byte[] store = Files.readAllBytes(keyStore(id));
        assertThat(contains(store, aliceKey)).isFalse();
        assertThat(contains(store, bobKey)).as("bob's key, added after the backup").isFalse();
        assertThat(contains(store, carolKey)).isTrue();

        try (Registry r = open()) { // a normal, strict open: the head file was re-anchored to the restored log
            RegistryVerification v = r.verify();
            assertThat(v.intact()).as(String.valueOf(v.problem())).isTrue();
            Subject a = r.subject("alice");
            assertThat(a.erased()).isTrue();
            assertThat(a.displayName()).isNull();
            assertThat(r.enrolments("alice")).isEmpty();
            assertThat(r.consents("alice")).singleElement().satisfies(k -> assertThat(k.legalBasis()).isEqualTo("contract"));
            assertThat(r.status("alice", Purpose.TRAINING, Instant.now()).state()).isEqualTo(ConsentState.ERASED);
            assertThatThrownBy(() -> r.subject("bob")).isInstanceOf(NotFoundException.class);
            // everyone else intact and identifiable; alice's face is unknown now
            assertThat(r.identify(TestVectors.near(carol, 0.9, 31), TestVectors.MODEL).subject()).contains("carol");
            assertThat(r.identify(TestVectors.near(dave, 0.9, 32), TestVectors.MODEL).subject()).contains("dave");
            assertThat(r.identify(TestVectors.near(alice, 0.9, 33), TestVectors.MODEL).subject()).isEmpty();
            assertThat(r.status("carol", Purpose.TRAINING, Instant.now()).state()).isEqualTo(ConsentState.REVOKED);
            assertThat(r.status("carol", Purpose.TRAINING, Instant.parse("2025-06-01T00:00:00Z")).state())
                    .isEqualTo(ConsentState.CONSENTED);
            List<CollectionFace> faces = r.collectionImages("set", true).get(0).faces();
            assertThat(faces).filteredOn(f -> "alice".equals(f.subjectId())).singleElement()
                    .satisfies(f -> assertThat(f.template()).isNull());
            assertThat(faces).filteredOn(f -> "carol".equals(f.subjectId())).singleElement()
                    .satisfies(f -> assertThat(TestVectors.cosine(f.template(), TestVectors.near(carol, 0.9, 22))).isGreaterThan(0.99));
            List<LogEntry> log = r.log(1, 1000);
            assertThat(log).filteredOn(e -> e.action().equals("subject.erase")).singleElement()
                    .satisfies(e -> assertThat(e.payload()).contains("\"reason\":\"" + RegistryRestore.ERASE_REASON + "\""));
            assertThat(log).filteredOn(e -> e.action().equals("registry.restore")).singleElement()
                    .satisfies(e -> assertThat(e.payload()).contains("\"backup\":\"backup-1\"")
                            .contains("\"seq\":" + m.seq()).contains("\"seq\":" + rep.previousSeq()));
            assertThat(log.get(log.size() - 1).seq()).isEqualTo(rep.seq());
        }
        // no row of alice's templates is left; the one ciphertext of hers this test can find is in the backup, and no key opens it
        try (Connection c = java.sql.DriverManager.getConnection(loc.connectUrl(), "sa", Database.h2Password(key))) {
            assertThat(count(c, "SELECT COUNT(*) FROM enrolment WHERE subject_id = 'alice'")).isZero();
            assertThat(count(c, "SELECT COUNT(*) FROM subject_key WHERE subject_id = 'alice'")).isZero();
        }
        byte[] script = gunzip(backup.resolve(RegistryBackup.DATABASE));
        assertThat(contains(script, "'alice'".getBytes(StandardCharsets.UTF_8))).isTrue();
        // the database file no longer holds alice's display name (the restore compacted after recording her erasure)
        assertThat(contains(Files.readAllBytes(dbFile), "Alice A.".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(contains(script, "Alice A.".getBytes(StandardCharsets.UTF_8))).as("positive control").isTrue();
    }

    @Test
    void aBackupHoldsNoWrappedKeyAndIsPrivate() throws Exception {
        Registry.init(loc, key, "tester");
        Path backup = tmp.resolve("b");
        String id;
        byte[] enrolment;
        try (Registry r = open()) {
            populate(r);
            RegistryBackup.backup(r, backup);
            id = r.database().read(c -> RegistryBackup.meta(c, "registry_id"));
            enrolment = r.database().read(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT template FROM enrolment WHERE subject_id = 'carol'");
                     ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getBytes(1);
                }
            });
            assertThat(r.log(1, 1000)).last().satisfies(e -> assertThat(e.action()).isEqualTo("registry.backup"));
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(backup))).isEqualTo("rwx------");
        try (var files = Files.list(backup)) {
            List<Path> all = files.toList();
            assertThat(all).extracting(p -> p.getFileName().toString())
                    .containsExactlyInAnyOrder(RegistryBackup.MANIFEST, RegistryBackup.DATABASE);
            for (Path f : all) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
            }
        }
        byte[] gz = Files.readAllBytes(backup.resolve(RegistryBackup.DATABASE));
        byte[] script = gunzip(backup.resolve(RegistryBackup.DATABASE));
        List<byte[]> wrapped = new ArrayList<>(new KeyStore(keyStore(id)).all().values());
        assertThat(wrapped).hasSize(3);
        // positive control: the search finds a ciphertext the database holds, in the form the script writes it
        assertThat(contains(script, hex(enrolment, false)) || contains(script, hex(enrolment, true))).isTrue();
        for (byte[] w : wrapped) {
            for (byte[] hay : List.of(script, gz)) {
                assertThat(contains(hay, w)).isFalse();
                assertThat(contains(hay, hex(w, false))).isFalse();
                assertThat(contains(hay, hex(w, true))).isFalse();
            }
        }
        assertThat(contains(script, "LIKENESS-KEYS".getBytes(StandardCharsets.US_ASCII))).isFalse();
        assertThat(contains(script, key.bytes())).isFalse();
        assertThat(contains(script, hex(key.bytes(), false)) || contains(script, hex(key.bytes(), true))).isFalse();
        // a second backup never goes over the first
        try (Registry r = open()) {
            assertThatThrownBy(() -> RegistryBackup.backup(r, backup)).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("folder is not empty");
        }
    }

    @Test
    void aBackupOfAnotherRegistryIsRefusedAndNothingChanges() throws Exception {
        Registry.init(loc, key, "tester");
        RegistryLocation other = location("other");
        Registry.init(other, key, "tester");
        Path foreign = tmp.resolve("foreign");
        try (Registry r = Registry.open(other, key, "tester")) {
            r.addSubject("zed", null, TestVectors.MODEL, List.of(TestVectors.face(40)));
            RegistryBackup.backup(r, foreign);
        }
        try (Registry r = open()) {
            populate(r);
        }
        String before;
        try (Registry r = open()) {
            before = r.logHead();
        }
        assertThatThrownBy(() -> RegistryRestore.restore(loc, key, "tester", foreign, true))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("belongs to registry").hasMessageContaining("nothing was changed");
        try (Registry r = open()) {
            assertThat(r.logHead()).isEqualTo(before);
            assertThat(r.subjects()).extracting(Subject::id).containsExactly("alice", "carol", "dave");
            assertThat(r.verify().intact()).isTrue();
        }
        // without --yes an existing database is never replaced
        Path own = tmp.resolve("own");
        try (Registry r = open()) {
            RegistryBackup.backup(r, own);
        }
        assertThatThrownBy(() -> RegistryRestore.restore(loc, key, "tester", own, false))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("run it again with --yes");
        // with the database and the head file gone, a key store holding keys the backup does not know is not destroyed unasked
        try (Registry r = open()) {
            r.addSubject("erin", null, TestVectors.MODEL, List.of(TestVectors.face(50)));
        }
        Files.move(Path.of(loc.h2File() + ".mv.db"), tmp.resolve("moved.mv.db"));
        Files.move(LogAnchor.fileFor(loc, registryId(own)), tmp.resolve("moved.head"));
        byte[] store = Files.readAllBytes(keyStore(registryId(own)));
        assertThatThrownBy(() -> RegistryRestore.restore(loc, key, "tester", own, false))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("holds 1 key(s) the backup does not reference");
        assertThat(Files.readAllBytes(keyStore(registryId(own)))).isEqualTo(store);
        assertThat(Path.of(loc.h2File() + ".mv.db")).doesNotExist();
        Files.move(tmp.resolve("moved.mv.db"), Path.of(loc.h2File() + ".mv.db"));
        Files.move(tmp.resolve("moved.head"), LogAnchor.fileFor(loc, registryId(own)));
        // a damaged backup file is refused with its name
        Files.write(own.resolve(RegistryBackup.DATABASE), new byte[] {1, 2, 3});
        assertThatThrownBy(() -> RegistryRestore.restore(loc, key, "tester", own, true))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith(own.resolve(RegistryBackup.DATABASE) + ": damaged or replaced");
    }

    @Test
    void aBackupWhoseScriptWasReplacedIsNeverRun() throws Exception {
        Registry.init(loc, key, "tester");
        Path backup = tmp.resolve("b");
        try (Registry r = open()) {
            populate(r);
            RegistryBackup.backup(r, backup);
        }
        // a script that writes a file when run, with the manifest's checksum made to match (but not its MAC)
        Path marker = tmp.resolve("written-by-the-script");
        Path sql = backup.resolve(RegistryBackup.DATABASE);
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(sql))) {
            out.write(("CALL FILE_WRITE(X'78', '" + marker + "');\n").getBytes(StandardCharsets.UTF_8));
        }
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var manifest = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(backup.resolve(RegistryBackup.MANIFEST).toFile());
        manifest.put("database_sha256", RegistryBackup.sha256(sql));
        json.writeValue(backup.resolve(RegistryBackup.MANIFEST).toFile(), manifest);
        String head;
        try (Registry r = open()) {
            head = r.logHead();
        }
        assertThatThrownBy(() -> RegistryRestore.restore(loc, key, "tester", backup, true))
                .isInstanceOf(TamperException.class).hasMessageContaining("fails its MAC");
        assertThat(marker).doesNotExist();
        try (Registry r = open()) {
            assertThat(r.logHead()).isEqualTo(head);
        }
        // a backup made under another master key fails the same check
        try (MasterKey other = MasterKey.random()) {
            assertThatThrownBy(() -> RegistryRestore.restore(loc, other, "tester", tmp.resolve("b"), true))
                    .isInstanceOf(TamperException.class);
        }
    }

    @Test
    void withTheKeyStoreLostEverySubjectComesBackErasedAndConsentsSurvive() throws Exception {
        Registry.init(loc, key, "tester");
        Path backup = tmp.resolve("b");
        try (Registry r = open()) {
            populate(r);
            RegistryBackup.backup(r, backup);
        }
        String id = registryId();
        Files.delete(keyStore(id)); // the disk holding the key store is lost; the database file too
        Files.delete(Path.of(loc.h2File() + ".mv.db"));
        RegistryRestore.Report rep = RegistryRestore.restore(loc, key, "tester", backup, false);
        assertThat(rep.subjectsErased()).containsExactly("alice", "carol", "dave");
        assertThat(rep.previousSeq()).isNull();
        assertThat(rep.setAside()).isNull();
        try (Registry r = open()) {
            assertThat(r.verify().intact()).isTrue();
            assertThat(r.subjects()).allSatisfy(s -> assertThat(s.erased()).isTrue());
            assertThat(r.consents("alice")).hasSize(1);
            assertThat(r.consents("carol")).hasSize(1);
            assertThat(r.status("carol", Purpose.TRAINING, Instant.parse("2025-06-01T00:00:00Z")).state())
                    .isEqualTo(ConsentState.CONSENTED); // the record of what was allowed then survives
            assertThat(r.identify(TestVectors.near(carol, 0.9, 31), TestVectors.MODEL).outcome())
                    .isEqualTo(Identification.Outcome.EMPTY_GALLERY);
            // the registry goes on: a subject re-enrolled under a new id gets a key in a new key store
            r.addSubject("carol2", null, TestVectors.MODEL, List.of(new EnrolFace(carol, 0.9, TestVectors.sha(3))));
            assertThat(r.identify(TestVectors.near(carol, 0.9, 31), TestVectors.MODEL).subject()).contains("carol2");
        }
    }

    @Test
    void aRestoreIsRefusedWhileTheRegistryIsOpen() throws Exception {
        Registry.init(loc, key, "tester");
        Path backup = tmp.resolve("b");
        try (Registry r = open()) {
            populate(r);
            RegistryBackup.backup(r, backup);
        }
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m", "-cp",
                System.getProperty("java.class.path"), HoldOpen.class.getName(), loc.jdbcUrl(), loc.home().toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(tmp.resolve("holder.err").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("LIKENESS_") || k.startsWith("PG")); // hermetic: the test command exports LIKENESS_DB_* for its PostgreSQL runs
        pb.environment().put("LIKENESS_DB_USER", "sa");
        pb.environment().put(MasterKey.ENV, java.util.Base64.getEncoder().encodeToString(key.bytes()));
        Process holder = pb.start();
        try {
            java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream()));
            assertThat(out.readLine()).as(tmp.resolve("holder.err").toString()).isEqualTo("open");
            String head;
            try (Connection c = java.sql.DriverManager.getConnection(loc.connectUrl(), "sa", Database.h2Password(key))) {
                head = RegistryLog.head(c); // through the holder's server (mixed mode)
            }
            assertThatThrownBy(() -> RegistryRestore.restore(loc, key, "tester", backup, true))
                    .isInstanceOf(StorageException.class).hasMessageContaining("is open in another process")
                    .hasMessageContaining("nothing was changed");
            holder.getOutputStream().close();
            assertThat(holder.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            try (Registry r = open()) {
                assertThat(r.logHead()).isEqualTo(head); // the refused restore changed nothing
            }
        } finally {
            holder.destroyForcibly();
        }
        // once it has closed, the same restore goes through
        assertThat(RegistryRestore.restore(loc, key, "tester", backup, true).subjectsErased()).isEmpty();
    }

    private static String registryId(Path backup) {
        return RegistryBackup.read(backup).registryId();
    }

    private static long count(Connection c, String sql) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static byte[] hex(byte[] b, boolean upper) {
        String h = HexFormat.of().formatHex(b);
        return (upper ? h.toUpperCase(Locale.ROOT) : h).getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] gunzip(Path gz) throws Exception {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        }
    }

    static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
