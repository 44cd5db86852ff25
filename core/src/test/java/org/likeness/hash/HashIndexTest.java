package org.likeness.hash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Property tests: the index must return exactly what a brute-force scan returns. */
public class HashIndexTest {

    public static PdqHash random(Random r) {
        return new PdqHash(r.nextLong(), r.nextLong(), r.nextLong(), r.nextLong());
    }

    /** {@code h} with exactly {@code bits} distinct random bits flipped. */
    public static PdqHash perturb(PdqHash h, int bits, Random r) {
        long[] w = {h.w0(), h.w1(), h.w2(), h.w3()};
        int[] positions = IntStream.range(0, 256).toArray();
        for (int i = 0; i < bits; i++) {
            int j = i + r.nextInt(256 - i);
            int tmp = positions[i];
            positions[i] = positions[j];
            positions[j] = tmp;
            w[positions[i] >>> 6] ^= 1L << (positions[i] & 63);
        }
        return PdqHash.ofWords(w);
    }

    /** Random hashes, clusters of near-duplicates at 0..48 bits, and one hash repeated many times. */
    static List<PdqHash> corpus(int n, Random r) {
        List<PdqHash> hashes = new ArrayList<>(n);
        PdqHash popular = random(r);
        while (hashes.size() < n) {
            int kind = r.nextInt(10);
            if (kind < 5 || hashes.isEmpty()) {
                hashes.add(random(r));
            } else if (kind < 9) {
                hashes.add(perturb(hashes.get(r.nextInt(hashes.size())), r.nextInt(49), r));
            } else {
                hashes.add(popular);
            }
        }
        return hashes;
    }

    static int[] bruteForce(List<PdqHash> hashes, PdqHash q, int radius) {
        return IntStream.range(0, hashes.size()).filter(i -> hashes.get(i).distance(q) <= radius).toArray();
    }

    static HashIndex index(List<PdqHash> hashes) {
        HashIndexBuilder b = HashIndex.builder();
        for (PdqHash h : hashes) {
            b.add(h);
        }
        return b.build();
    }

    @Test
    void multiIndexSearchEqualsBruteForce() {
        Random r = new Random(20261126);
        List<PdqHash> hashes = corpus(30_000, r);
        HashIndex index = index(hashes);
        int nonEmpty = 0;
        for (int i = 0; i < 200; i++) {
            PdqHash q = i % 3 == 0 ? random(r) : perturb(hashes.get(r.nextInt(hashes.size())), r.nextInt(45), r);
            int radius = switch (i % 5) {
                case 0 -> 0;
                case 1, 2 -> HashIndex.MATCH_THRESHOLD;
                default -> r.nextInt(40);
            };
            int[] expected = bruteForce(hashes, q, radius);
            nonEmpty += expected.length > 0 ? 1 : 0;
            assertThat(index.searchMultiIndex(q, radius)).as("query %d radius %d", i, radius).containsExactly(expected);
            assertThat(index.search(q, radius)).containsExactly(expected);
        }
        assertThat(nonEmpty).as("queries with hits").isGreaterThan(50);
    }

    @Test
    void largeRadiiAndLinearScanEqualBruteForce() {
        Random r = new Random(42);
        List<PdqHash> hashes = corpus(5_000, r);
        HashIndex index = index(hashes);
        for (int i = 0; i < 40; i++) {
            PdqHash q = perturb(hashes.get(r.nextInt(hashes.size())), r.nextInt(70), r);
            for (int radius : new int[] {0, 31, 64, 100}) {
                int[] expected = bruteForce(hashes, q, radius);
                assertThat(index.search(q, radius)).containsExactly(expected);
                assertThat(index.searchLinear(q, radius)).containsExactly(expected);
            }
        }
        // one exhaustive multi-index probe at radius 47 (⌊47/8⌋ = 5 bits per substring)
        PdqHash q = perturb(hashes.get(7), 40, r);
        assertThat(index.searchMultiIndex(q, 47)).containsExactly(bruteForce(hashes, q, 47));
    }

    @Test
    void tinyIndexesWork() {
        PdqHash h = random(new Random(1));
        assertThat(HashIndex.builder().build().search(h)).isEmpty();
        HashIndex one = index(List.of(h));
        assertThat(one.searchMultiIndex(h, 0)).containsExactly(0);
        assertThat(one.searchMultiIndex(perturb(h, 31, new Random(2)), 31)).containsExactly(0);
        assertThat(one.searchMultiIndex(perturb(h, 32, new Random(2)), 31)).isEmpty();
        assertThat(one.get(0)).isEqualTo(h);
    }

    @Test
    void staysWithinSixtyFourBytesPerHash() {
        Random r = new Random(3);
        for (int n : new int[] {1 << 12, 100_000, 1 << 17}) {
            HashIndexBuilder b = HashIndex.builder();
            for (int i = 0; i < n; i++) {
                b.add(random(r));
            }
            double perHash = (double) b.build().memoryBytes() / n;
            assertThat(perHash).as("bytes per hash at n=%d", n).isLessThanOrEqualTo(64.0);
        }
    }

    @Test
    void savesAndLoads(@TempDir Path dir) throws IOException {
        Random r = new Random(5);
        List<PdqHash> hashes = corpus(3_000, r);
        HashIndex index = index(hashes);
        Path file = dir.resolve("scan.pdqidx");
        index.save(file);
        HashIndex loaded = HashIndex.load(file);
        assertThat(loaded.size()).isEqualTo(index.size());
        assertThat(loaded.memoryBytes()).isEqualTo(index.memoryBytes());
        for (int i = 0; i < 50; i++) {
            PdqHash q = perturb(hashes.get(r.nextInt(hashes.size())), r.nextInt(35), r);
            assertThat(loaded.searchMultiIndex(q, 31)).containsExactly(bruteForce(hashes, q, 31));
        }
    }

    @Test
    void rejectsDamagedFilesNamingThem(@TempDir Path dir) throws IOException {
        HashIndex index = index(corpus(500, new Random(6)));
        Path file = dir.resolve("scan.pdqidx");
        index.save(file);
        byte[] bytes = Files.readAllBytes(file);
        Path truncated = dir.resolve("truncated.pdqidx");
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length - 9));
        assertThatThrownBy(() -> HashIndex.load(truncated)).hasMessageContaining("truncated.pdqidx").hasMessageContaining("truncated");
        Path wrong = dir.resolve("wrong.pdqidx");
        byte[] corrupted = bytes.clone();
        corrupted[0] = 'X';
        Files.write(wrong, corrupted);
        assertThatThrownBy(() -> HashIndex.load(wrong)).hasMessageContaining("wrong.pdqidx").hasMessageContaining("magic");
        Path longer = dir.resolve("longer.pdqidx");
        Files.write(longer, java.util.Arrays.copyOf(bytes, bytes.length + 3));
        assertThatThrownBy(() -> HashIndex.load(longer)).hasMessageContaining("trailing");
    }

    @Test
    void rejectsBadRadius() {
        HashIndex index = HashIndex.builder().build();
        assertThatThrownBy(() -> index.search(new PdqHash(0, 0, 0, 0), -1)).hasMessageContaining("-1");
    }
}
