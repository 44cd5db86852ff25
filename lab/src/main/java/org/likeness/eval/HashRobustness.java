package org.likeness.eval;

import org.likeness.hash.PdqDihedral;
import org.likeness.hash.PdqHash;
import org.likeness.hash.PdqHasher;

import java.util.ArrayList;
import java.util.List;
import org.opencv.core.Mat;

/**
 * How far PDQ hashes move under common edits ({@link ImageTransform}), and how often distinct photos collide.
 * Not thread-safe (it owns a {@link PdqHasher}); use one per thread.
 */
public final class HashRobustness {

    private final PdqHasher hasher = new PdqHasher();

    /**
     * Distance from an original's hash to an edited copy's hash.
     *
     * @param distance         plain Hamming distance
     * @param dihedralDistance least distance from the copy to any of the original's 8 dihedral variants (PDQ's way
     *                         of matching flips and quarter turns)
     */
    public record Measurement(ImageTransform transform, int distance, int dihedralDistance) {
    }

    /** Applies every transform to {@code bgr} and measures each copy's hash distance to the original's. */
    public List<Measurement> measure(Mat bgr) {
        List<PdqHash> variants = hasher.dihedral(bgr);
        PdqHash original = variants.get(PdqDihedral.ORIGINAL.ordinal());
        List<Measurement> out = new ArrayList<>();
        for (ImageTransform t : ImageTransform.values()) {
            PdqHash edited = hasher.hash(t.apply(bgr)).hash();
            int best = Integer.MAX_VALUE;
            for (PdqHash v : variants) {
                best = Math.min(best, v.distance(edited));
            }
            out.add(new Measurement(t, original.distance(edited), best));
        }
        return out;
    }

    /**
     * Number of unordered pairs {i < j} whose hashes are within {@code threshold}: among hashes of distinct photos,
     * each such pair is a false match.
     */
    public static long closePairs(List<PdqHash> hashes, int threshold) {
        return closePairs(hashes, threshold, null);
    }

    /** As {@link #closePairs(List, int)}, also adding each pair's indexes to {@code pairs} (when not null). */
    public static long closePairs(List<PdqHash> hashes, int threshold, List<int[]> pairs) {
        int n = hashes.size();
        long[] w = new long[4 * n];
        for (int i = 0; i < n; i++) {
            PdqHash h = hashes.get(i);
            w[4 * i] = h.w0();
            w[4 * i + 1] = h.w1();
            w[4 * i + 2] = h.w2();
            w[4 * i + 3] = h.w3();
        }
        long count = 0;
        for (int i = 0; i < n; i++) {
            long a0 = w[4 * i], a1 = w[4 * i + 1], a2 = w[4 * i + 2], a3 = w[4 * i + 3];
            for (int j = i + 1, b = 4 * (i + 1); j < n; j++, b += 4) {
                int d = Long.bitCount(a0 ^ w[b]) + Long.bitCount(a1 ^ w[b + 1])
                        + Long.bitCount(a2 ^ w[b + 2]) + Long.bitCount(a3 ^ w[b + 3]);
                if (d <= threshold) {
                    count++;
                    if (pairs != null) {
                        pairs.add(new int[] {i, j});
                    }
                }
            }
        }
        return count;
    }

    /** Number of unordered pairs among {@code n} items. */
    public static long pairCount(int n) {
        return (long) n * (n - 1) / 2;
    }
}
