package org.likeness.registry;

/**
 * Binary codes for a first pass over a large gallery: one bit per dimension, the sign of the
 * component (random-hyperplane hashing, Charikar 2002: the expected fraction of differing bits is
 * angle / π). A probe's candidates are the templates with the smallest Hamming distance, which the
 * gallery then rescores exactly. Distances are counted in a histogram, so selecting the k nearest is
 * two linear passes of XOR and {@link Long#bitCount} (a POPCNT instruction) with no sorting.
 */
final class SignCodes {
    private final long[] codes;
    private final int words;
    private final int dims;
    private final int size;

    private SignCodes(long[] codes, int words, int dims, int size) {
        this.codes = codes;
        this.words = words;
        this.dims = dims;
        this.size = size;
    }

    static SignCodes of(float[] data, int dims) {
        int words = (dims + 63) / 64;
        int n = dims == 0 ? 0 : data.length / dims;
        long[] codes = new long[n * words];
        for (int t = 0; t < n; t++) {
            encode(data, t * dims, dims, codes, t * words);
        }
        return new SignCodes(codes, words, dims, n);
    }

    private static void encode(float[] v, int offset, int dims, long[] out, int outOffset) {
        for (int i = 0; i < dims; i++) {
            if (v[offset + i] > 0) {
                out[outOffset + (i >>> 6)] |= 1L << (i & 63);
            }
        }
    }

    /** At least {@code k} (or all) template positions with the smallest Hamming distance; ties at the cut-off are capped at {@code 4k}. */
    int[] candidates(float[] unitProbe, int k) {
        long[] q = new long[words];
        encode(unitProbe, 0, dims, q, 0);
        int[] histogram = new int[dims + 1];
        for (int t = 0; t < size; t++) {
            histogram[distance(q, t)]++;
        }
        int cutoff = dims;
        int cumulative = 0;
        for (int d = 0; d <= dims; d++) {
            cumulative += histogram[d];
            if (cumulative >= k) {
                cutoff = d;
                break;
            }
        }
        int cap = Math.min(size, Math.max(k, 1) * 4);
        int[] out = new int[Math.min(cap, cumulative == 0 ? size : Math.max(cumulative, k))];
        int found = 0;
        for (int t = 0; t < size && found < out.length; t++) {
            if (distance(q, t) <= cutoff) {
                out[found++] = t;
            }
        }
        return found == out.length ? out : java.util.Arrays.copyOf(out, found);
    }

    private int distance(long[] q, int t) {
        int base = t * words;
        int d = 0;
        for (int w = 0; w < words; w++) {
            d += Long.bitCount(codes[base + w] ^ q[w]);
        }
        return d;
    }

    long bytesPerVector() {
        return (long) words * Long.BYTES;
    }
}
