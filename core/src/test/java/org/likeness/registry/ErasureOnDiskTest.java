package org.likeness.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.likeness.Models;
import org.likeness.SharedData;
import org.likeness.face.Face;
import org.likeness.image.DecodedImage;
import org.likeness.image.ImageDecoder;

/**
 * Erasure is real when it is reported: after {@code erase} of a person enrolled from a real lfw-dev photo and found in a
 * registered collection, the database file, the key store and the head file are read byte by byte, and neither the
 * template ciphertexts, nor the wrapped data key, nor the raw template floats are there, and no ciphertext in them
 * decrypts with any key still present. The same search finds all of them before the erasure (so it can fail).
 */
class ErasureOnDiskTest {
    private static final int TEMPLATE_SEALED = 1 + 12 + 512 * 4 + 16;

    @TempDir
    Path tmp;

    static Stream<String> kinds() {
        return TestDatabase.kinds();
    }

    private static float[] vector(Path photo) throws Exception {
        try (DecodedImage img = new ImageDecoder().decode(photo.toString(), Files.readAllBytes(photo))) {
            return Models.pipeline().faces(img.bgr()).stream().max(Comparator.comparingDouble(f -> f.box().area()))
                    .map(Face::embedding).orElseThrow().vector();
        }
    }

    private static byte[] floats(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return b.array();
    }

    private static boolean contains(byte[] hay, byte[] needle) {
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

    /** The plaintexts (as floats) of every 2,077-byte window starting with the format byte that AES-GCM-opens under a key. */
    private static List<float[]> decrypted(byte[] hay, List<byte[]> keys) throws Exception {
        List<float[]> found = new ArrayList<>();
        for (int i = 0; i + TEMPLATE_SEALED <= hay.length; i++) {
            if (hay[i] != 1) {
                continue;
            }
            for (byte[] k : keys) {
                Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
                c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(k, "AES"), new GCMParameterSpec(128, hay, i + 1, 12));
                // the associated data binds templates to subject or collection and model: try both forms
                for (String aad : new String[] {"likeness/template/v1/aaron\0" + TestVectors.MODEL,
                        "likeness/template/v1/collection/set\0" + TestVectors.MODEL}) {
                    try {
                        c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(k, "AES"), new GCMParameterSpec(128, hay, i + 1, 12));
                        c.updateAAD(aad.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                        byte[] plain = c.doFinal(hay, i + 13, TEMPLATE_SEALED - 13);
                        float[] v = new float[plain.length / 4];
                        ByteBuffer.wrap(plain).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
                        found.add(v);
                    } catch (javax.crypto.AEADBadTagException no) {
                        // not a template under this key
                    }
                }
            }
        }
        return found;
    }

    private static int decryptable(byte[] hay, List<byte[]> keys) throws Exception {
        return decrypted(hay, keys).size();
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    private static byte[] bytesOf(List<Path> files) throws Exception {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (Path f : files) {
            if (Files.exists(f)) {
                all.write(Files.readAllBytes(f));
            }
        }
        return all.toByteArray();
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void afterErasureNothingOfTheFaceIsOnDisk(String kind) throws Exception {
        Path lfw = SharedData.require("lfw-dev/images");
        Models.store();
        float[] enrolled = vector(lfw.resolve("Aaron_Peirsol/Aaron_Peirsol_0001.jpg"));
        float[] inCollection = vector(lfw.resolve("Aaron_Peirsol/Aaron_Peirsol_0002.jpg"));
        float[] stranger = vector(lfw.resolve("AJ_Cook/AJ_Cook_0001.jpg"));
        float[] unit = enrolled.clone();
        TemplateGallery.normaliseInto(enrolled, unit, 0, "test");
        try (TestDatabase db = TestDatabase.create(kind, tmp); MasterKey key = MasterKey.random()) {
            Registry.init(db.location(), key, "tester");
            Path cache = tmp.resolve("report").resolve("scan.jsonl.gz");
            Files.createDirectories(cache.getParent());
            Files.write(cache, floats(inCollection)); // stands for an audit's cache of plain embeddings
            byte[] enrolmentSealed;
            byte[] collectionSealed;
            byte[] wrappedKey;
            List<Path> files;
            try (Registry r = Registry.open(db.location(), key, "tester")) {
                r.addSubject("aaron", "Aaron Peirsol", TestVectors.MODEL,
                        List.of(new EnrolFace(enrolled, 0.9, TestVectors.sha(1))));
                r.addSubject("other", "Other", TestVectors.MODEL, List.of(TestVectors.face(7)));
                r.addCollection("set", "owner", "/data/set", TestVectors.MODEL, List.of(
                        new CollectionImage("a.jpg", TestVectors.sha(2), null,
                                List.of(new CollectionFace(0, 1, 2, 30, 40, "aaron", 0.8, inCollection),
                                        new CollectionFace(1, 50, 2, 30, 40, null, 0.1, stranger)))));
                r.recordAuditCache(cache);
                try (Connection c = db.connect(key)) {
                    enrolmentSealed = blob(c, "SELECT template FROM enrolment WHERE subject_id = 'aaron'");
                    collectionSealed = blob(c, "SELECT template FROM collection_face WHERE subject_id = 'aaron'");
                }
                Path store = KeyStore.fileFor(db.location(), registryId(db, key));
                wrappedKey = new KeyStore(store).all().values().stream()
                        .filter(w -> {
                            try {
                                new TemplateCipher(key).unwrap(w, "aaron");
                                return true;
                            } catch (MasterKeyException e) {
                                return false;
                            }
                        }).findFirst().orElseThrow();
                files = new ArrayList<>(List.of(store, LogAnchor.fileFor(db.location(), registryId(db, key))));
                if (db.location().h2File() != null) {
                    files.add(Path.of(db.location().h2File() + ".mv.db"));
                }
                // positive control: before erasure the search finds every piece and the ciphertext decrypts
                byte[] before = bytesOf(files);
                assertThat(contains(before, wrappedKey)).isTrue();
                if (db.location().h2File() != null) {
                    assertThat(contains(before, enrolmentSealed)).isTrue();
                    assertThat(contains(before, collectionSealed)).isTrue();
                    byte[] dataKey = new TemplateCipher(key).unwrap(wrappedKey, "aaron");
                    assertThat(decryptable(before, List.of(dataKey))).isGreaterThanOrEqualTo(2);
                }

                Erasure e = r.erase("aaron");
                assertThat(e.templatesDestroyed()).isEqualTo(1);
                assertThat(e.collectionTemplatesDestroyed()).isEqualTo(1);
                assertThat(e.auditCachesDestroyed()).isEqualTo(1);
                assertThat(e.storage()).isIn("database file compacted", "VACUUM enrolment, subject_key, collection_face, subject");
                assertThat(cache).doesNotExist();
                // the rest of the registry still works: the other subject and the unidentified face keep their templates
                assertThat(r.collectionImages("set", true).get(0).faces()).filteredOn(f -> f.subjectId() == null)
                        .singleElement().satisfies(f -> assertThat(f.template()).isNotNull());
                assertThat(r.verify().intact()).isTrue();
            }
            byte[] after = bytesOf(files);
            assertThat(contains(after, wrappedKey)).as("wrapped data key").isFalse();
            assertThat(contains(after, Arrays.copyOfRange(enrolmentSealed, 13, 13 + 64))).as("enrolment ciphertext").isFalse();
            assertThat(contains(after, Arrays.copyOfRange(collectionSealed, 13, 13 + 64))).as("collection ciphertext").isFalse();
            assertThat(contains(after, Arrays.copyOfRange(floats(unit), 0, 64))).as("raw template floats").isFalse();
            assertThat(contains(after, Arrays.copyOfRange(floats(inCollection), 0, 64))).as("raw collection floats").isFalse();
            // every key still present: the master key, every live wrapped key it opens, the collection key
            List<byte[]> keys = new ArrayList<>();
            keys.add(key.bytes());
            TemplateCipher cipher = new TemplateCipher(key);
            for (byte[] w : new KeyStore(files.get(0)).all().values()) {
                keys.add(cipher.unwrap(w, "other"));
            }
            try (Connection c = db.connect(key)) {
                keys.add(cipher.unwrapCollectionKey(blob(c, "SELECT wrapped_key FROM collection WHERE name = 'set'"), "set"));
                // through SQL too (PostgreSQL's files are the server's): no row holds the erased subject's ciphertext
                assertThat(blobOrNull(c, "SELECT template FROM enrolment WHERE subject_id = 'aaron'")).isNull();
                assertThat(blobOrNull(c, "SELECT template FROM collection_face WHERE subject_id = 'aaron'")).isNull();
            }
            // what still opens is the unidentified stranger's face, never the erased person's (cosine 1.0 would be a copy)
            List<float[]> opened = decrypted(after, keys);
            if (db.location().h2File() != null) {
                assertThat(opened).as("the stranger's template is still there and opens").isNotEmpty();
            }
            assertThat(opened).allSatisfy(v -> {
                assertThat(cosine(v, enrolled)).as("cosine to the erased enrolment").isLessThan(0.5);
                assertThat(cosine(v, inCollection)).as("cosine to the erased collection face").isLessThan(0.5);
            });
            // and the erased subject's ciphertext, kept by this test, opens with none of them
            for (byte[] k : keys) {
                assertThat(decryptable(enrolmentSealed, List.of(k)) + decryptable(collectionSealed, List.of(k))).isZero();
            }
        }
    }

    private static String registryId(TestDatabase db, MasterKey key) throws Exception {
        try (Connection c = db.connect(key);
             PreparedStatement ps = c.prepareStatement("SELECT meta_value FROM registry_meta WHERE meta_name = 'registry_id'");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static byte[] blob(Connection c, String sql) throws Exception {
        byte[] b = blobOrNull(c, sql);
        assertThat(b).as(sql).isNotNull();
        return b;
    }

    private static byte[] blobOrNull(Connection c, String sql) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getBytes(1) : null;
        }
    }
}
