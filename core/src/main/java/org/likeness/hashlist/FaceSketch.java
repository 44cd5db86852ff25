package org.likeness.hashlist;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * A face template reduced to {@link #BITS} sign bits of a keyed random ±1 projection (random-hyperplane hashing,
 * Charikar 2002: the expected share of differing bits of two sketches is the angle between the templates over π). The
 * projection is derived from the list's sketch key by SHA-256 in counter mode, so every implementation derives the same
 * one. A hash list holds only sketches; the 512 floats are never written (docs/HASHLISTS.md, "What a list holder can
 * learn").
 */
public final class FaceSketch {
    /**
     * Sketch length. 256 bits keep the angle estimate's noise small (σ ≈ 7 bits near the match distance) while the
     * linear reconstruction from a sketch and its key stays far from the template: measured cosine about 0.49 to it, 0.32 to
     * another photo of the same person (HashListScreenTest; docs/HASHLISTS.md, "What a list holder can learn").
     */
    public static final int BITS = 256;
    static final int WORDS = BITS / 64;
    /**
     * A listing's face matches a sketch at or below this Hamming distance (of 256): an estimated angle of π·64/256 = 45°,
     * cosine ≈ 0.71. Source: the sign-bit model, not a sweep. A face at the FMR 1e-6 cosine 0.548 (angle 56.8°, 80.8
     * differing bits expected, σ 7.4) falls this close with probability ≈ 1.3 %, so a false match needs a one-in-a-million
     * face pair and a further one-in-80 draw. Checked afterwards on the lfw-dev evaluation half (HashListScreenTest,
     * 2026-11-29, two runs, each with its own random key): the 26 altered copies matched by face were at ≤ 41 and ≤ 44
     * bits; 70 strangers' faces and 25 unrelated people's
     * photos matched nothing.
     */
    public static final int MATCH_DISTANCE = 64;

    private final int dims;
    private final float[] rows; // BITS rows of dims ±1 entries, row-major

    public FaceSketch(byte[] key, int dims) {
        if (key == null || key.length < 16) {
            throw new IllegalArgumentException("a sketch key has at least 16 bytes");
        }
        this.dims = dims;
        int wordsPerRow = (dims + 63) / 64;
        long[] signs = new long[BITS * wordsPerRow]; // row j (output bit j) holds dims sign bits
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] label = "likeness face sketch projection".getBytes(StandardCharsets.US_ASCII);
            int filled = 0;
            for (long counter = 0; filled < signs.length; counter++) {
                sha.update(label);
                sha.update(key);
                sha.update(ByteBuffer.allocate(8).putLong(counter).array());
                ByteBuffer block = ByteBuffer.wrap(sha.digest());
                while (block.remaining() >= 8 && filled < signs.length) {
                    signs[filled++] = block.getLong();
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
        if (dims % 64 != 0) {
            long mask = (1L << (dims % 64)) - 1;
            for (int j = 0; j < BITS; j++) {
                signs[j * wordsPerRow + wordsPerRow - 1] &= mask;
            }
        }
        this.rows = new float[BITS * dims];
        for (int j = 0; j < BITS; j++) {
            for (int i = 0; i < dims; i++) {
                rows[j * dims + i] = ((signs[j * wordsPerRow + (i >>> 6)] >>> (i & 63)) & 1) != 0 ? 1f : -1f;
            }
        }
    }

    public int dims() {
        return dims;
    }

    /** The sketch of a template (any length-{@code dims} vector; its scale does not matter). */
    public long[] sketch(float[] v) {
        if (v.length != dims) {
            throw new IllegalArgumentException("a template of " + v.length + " values, the list's sketches take " + dims);
        }
        long[] out = new long[WORDS];
        for (int j = 0; j < BITS; j++) {
            float s = 0;
            int base = j * dims;
            for (int i = 0; i < dims; i++) {
                s += rows[base + i] * v[i];
            }
            if (s > 0) {
                out[j >>> 6] |= 1L << (j & 63);
            }
        }
        return out;
    }

    /**
     * What anyone holding the list and its key can reconstruct from a sketch: Σ_j ±row_j, the least-squares direction
     * (for privacy measurements: docs/HASHLISTS.md).
     */
    public float[] reconstruct(long[] sketch) {
        float[] out = new float[dims];
        for (int j = 0; j < BITS; j++) {
            float sign = ((sketch[j >>> 6] >>> (j & 63)) & 1) != 0 ? 1f : -1f;
            int base = j * dims;
            for (int i = 0; i < dims; i++) {
                out[i] += sign * rows[base + i];
            }
        }
        return out;
    }

    public static int distance(long[] a, long[] b) {
        int d = 0;
        for (int w = 0; w < WORDS; w++) {
            d += Long.bitCount(a[w] ^ b[w]);
        }
        return d;
    }

    public static String toHex(long[] sketch) {
        StringBuilder sb = new StringBuilder(BITS / 4);
        for (long w : sketch) {
            sb.append(HexFormat.of().toHexDigits(w));
        }
        return sb.toString();
    }

    public static long[] parseHex(String hex) {
        if (hex == null || !hex.matches("[0-9a-f]{" + BITS / 4 + "}")) {
            throw new IllegalArgumentException("a face sketch is " + BITS / 4 + " lower-case hex digits");
        }
        long[] out = new long[WORDS];
        for (int w = 0; w < WORDS; w++) {
            out[w] = Long.parseUnsignedLong(hex.substring(w * 16, w * 16 + 16), 16);
        }
        return out;
    }
}
