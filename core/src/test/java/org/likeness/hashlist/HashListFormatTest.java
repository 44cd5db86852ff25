package org.likeness.hashlist;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.evidence.HolderKey;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The list file and the marketplace store without models: signatures, refusals, deltas, the sketch's projection. */
class HashListFormatTest {
    @TempDir
    Path tmp;

    private static ListEntry entry(int i, String pdq) {
        return new ListEntry(String.format("%032x", i), "c", pdq, List.of());
    }

    private static HashList list(HolderKey key, long version, Long base, List<ListEntry> added, List<String> removed, Instant expires) {
        return new HashList("c", version, base, Instant.parse("2026-11-29T00:00:00Z"), expires, HolderKey.id(key.publicKey()), null, null,
                List.of(new ListCollection("c", "Owner", "owner@example")), added, removed);
    }

    @Test
    void deltasApplyInOrderAndEveryRefusalKeepsTheHeldVersion() throws Exception {
        HolderKey key = HolderKey.loadOrCreate(tmp.resolve("keys"));
        Path pem = tmp.resolve("holder.pub");
        Files.writeString(pem, key.publicPem());
        HashListStore store = new HashListStore(tmp.resolve("market"));
        assertThat(store.trust(pem)).isEqualTo(HolderKey.id(key.publicKey()));
        Instant now = Instant.parse("2026-11-30T00:00:00Z"), later = now.plusSeconds(86_400);
        String h = "0".repeat(64);
        byte[] v1 = SignedList.sign(list(key, 1, null, List.of(entry(1, h), entry(2, h), entry(3, h)), List.of(), later), key);
        assertThat(store.importList(v1, now).entries()).isEqualTo(3);
        byte[] v2 = SignedList.sign(list(key, 2, 1L, List.of(entry(4, h)), List.of(String.format("%032x", 2)), later), key);
        HashListStore.Imported x = store.importList(v2, now);
        assertThat(x.added()).isEqualTo(1);
        assertThat(x.removed()).isEqualTo(1);
        assertThat(store.held(HolderKey.id(key.publicKey()), "c").added()).extracting(ListEntry::id)
                .containsExactly(String.format("%032x", 1), String.format("%032x", 3), String.format("%032x", 4));

        // truncated, not JSON, another format, a signature byte changed, expired, replayed delta
        assertThatThrownBy(() -> store.importList(Arrays.copyOf(v2, v2.length / 2), now)).hasMessageStartingWith("not a hash list: malformed JSON");
        assertThatThrownBy(() -> store.importList("[]".getBytes(StandardCharsets.UTF_8), now)).hasMessageStartingWith("not a hash list");
        String text = new String(v1, StandardCharsets.UTF_8);
        int sig = text.indexOf("\"value\":\"") + 12;
        byte[] badSig = v1.clone();
        badSig[sig] = (byte) (badSig[sig] == 'A' ? 'B' : 'A');
        assertThatThrownBy(() -> store.importList(badSig, now)).hasMessageContaining("tampered");
        assertThatThrownBy(() -> store.importList(v2, later)).hasMessageStartingWith("expired at " + later);
        assertThatThrownBy(() -> store.importList(v2, now)).hasMessageContaining("out-of-order delta: from version 1 to 2");
        assertThat(store.held(HolderKey.id(key.publicKey()), "c").version()).isEqualTo(2);
        assertThat(store.held()).hasSize(1);
    }

    /**
     * A signed file with a key repeated inside the signed content verifies under Jackson (last value wins) while a reader
     * that keeps the first value (many do) sees other content: a list must parse one way only. Trailing bytes after the
     * file's object are refused for the same reason.
     */
    @Test
    void aSignedListWithARepeatedKeyOrTrailingBytesIsRefused() throws Exception {
        HolderKey key = HolderKey.loadOrCreate(tmp.resolve("keys"));
        Path pem = tmp.resolve("holder.pub");
        Files.writeString(pem, key.publicPem());
        HashListStore store = new HashListStore(tmp.resolve("market"));
        store.trust(pem);
        Instant now = Instant.parse("2026-11-30T00:00:00Z");
        byte[] v1 = SignedList.sign(list(key, 1, null, List.of(entry(1, "0".repeat(64))), List.of(), now.plusSeconds(86_400)), key);
        String text = new String(v1, StandardCharsets.UTF_8);
        assertThat(text).contains("\"list\":{");
        byte[] repeated = text.replace("\"list\":{", "\"list\":{\"expires_at\":\"2999-01-01T00:00:00Z\",\"version\":999,")
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> store.importList(repeated, now)).hasMessageStartingWith("not a hash list")
                .hasMessageContaining("Duplicate field");
        byte[] trailing = (text + "{\"list\":{}}").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> store.importList(trailing, now)).hasMessageStartingWith("not a hash list");
        assertThat(store.held(HolderKey.id(key.publicKey()), "c")).isNull();
        assertThat(store.importList(v1, now).version()).isEqualTo(1);
    }

    @Test
    void theSketchIsFixedByItsKeyAndItsDistanceFollowsTheAngle() {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 7);
        FaceSketch s = new FaceSketch(key, 512);
        float[] v = new float[512];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) Math.sin(i * 0.37);
        }
        // holder and marketplace must derive the same projection from the key, in every version: pinned
        assertThat(FaceSketch.toHex(s.sketch(v))).isEqualTo(FaceSketch.toHex(new FaceSketch(key.clone(), 512).sketch(v.clone())));
        assertThat(FaceSketch.toHex(s.sketch(v))).isEqualTo(PINNED);
        // another key, another projection: sketches of one face under two keys are unrelated (~128 bits apart)
        byte[] other = key.clone();
        other[0] = 8;
        assertThat(FaceSketch.distance(s.sketch(v), new FaceSketch(other, 512).sketch(v))).isBetween(100, 156);
        // the share of differing bits estimates angle / π: at cosine 0.9 (25.8°) about 37 of 256
        Random r = new Random(1);
        int sum = 0;
        for (int t = 0; t < 200; t++) {
            float[] a = unit(r), n = unit(r);
            float[] b = new float[512];
            double c = 0.9, q = Math.sqrt(1 - c * c);
            double na = 0;
            for (int i = 0; i < 512; i++) {
                na += n[i] * a[i];
            }
            double nn = 0;
            for (int i = 0; i < 512; i++) {
                n[i] -= (float) (na * a[i]);
                nn += n[i] * n[i];
            }
            for (int i = 0; i < 512; i++) {
                b[i] = (float) (c * a[i] + q * n[i] / Math.sqrt(nn));
            }
            sum += FaceSketch.distance(s.sketch(a), s.sketch(b));
        }
        assertThat(sum / 200.0).isCloseTo(256 * Math.acos(0.9) / Math.PI, org.assertj.core.data.Offset.offset(2.0));
    }

    private static final String PINNED = "696d206b1e88a444bbed73ebb1465768a39a401141436f0f61599b51ec99bf1f";

    private static float[] unit(Random r) {
        float[] v = new float[512];
        double n = 0;
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
            n += v[i] * v[i];
        }
        for (int i = 0; i < v.length; i++) {
            v[i] /= (float) Math.sqrt(n);
        }
        return v;
    }
}
