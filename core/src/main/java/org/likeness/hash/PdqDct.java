package org.likeness.hash;

/**
 * The frequency-domain half of PDQ (reference {@code pdq/cpp/hashing/pdqhashing.cpp}): the 64×64 → 16×16 partial
 * DCT, the image-domain quality metric, the eight dihedral transforms of the DCT, and the median threshold.
 */
final class PdqDct {

    /** Side of the downsampled image (hashing.pdf: "64×64"). */
    static final int IMAGE_SIDE = 64;
    /** Side of the kept DCT block: coefficients 1..16 on each axis, skipping DC (hashing.pdf). */
    static final int DCT_SIDE = 16;
    /** Quality: gradients are scaled by 100/255 and truncated to int (reference {@code pdqImageDomainQualityMetric}). */
    private static final float GRADIENT_SCALE = 100;
    private static final float GRADIENT_RANGE = 255;
    /** Quality: heuristic divisor of the gradient sum, then clamped to 100 (reference, tuned per hashing.pdf). */
    private static final int QUALITY_DIVISOR = 90;
    private static final int QUALITY_MAX = 100;

    /** DCT-II basis rows 1..16 over 64 samples, scaled by sqrt(2/64), rounded to float like the reference. */
    private static final float[] DCT_MATRIX = dctMatrix();
    /** The same matrix transposed (64×16), so the second product reads it row by row. */
    private static final float[] DCT_MATRIX_TRANSPOSED = transposed(DCT_MATRIX, DCT_SIDE, IMAGE_SIDE);

    private PdqDct() {
    }

    private static float[] dctMatrix() {
        float scale = (float) Math.sqrt(2.0 / IMAGE_SIDE);
        float[] d = new float[DCT_SIDE * IMAGE_SIDE];
        for (int i = 0; i < DCT_SIDE; i++) {
            for (int j = 0; j < IMAGE_SIDE; j++) {
                d[i * IMAGE_SIDE + j] = (float) (scale * Math.cos((Math.PI / 2.0 / IMAGE_SIDE) * (i + 1) * (2 * j + 1)));
            }
        }
        return d;
    }

    private static float[] transposed(float[] m, int rows, int cols) {
        float[] out = new float[m.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[j * rows + i] = m[i * cols + j];
            }
        }
        return out;
    }

    /** Gradient-sum quality 0..100 of a 64×64 image (reference {@code pdqImageDomainQualityMetric}). */
    static int quality(float[] a) {
        int gradientSum = 0;
        for (int i = 0; i < IMAGE_SIDE - 1; i++) {
            for (int j = 0; j < IMAGE_SIDE; j++) {
                int d = (int) (((a[i * IMAGE_SIDE + j] - a[(i + 1) * IMAGE_SIDE + j]) * GRADIENT_SCALE) / GRADIENT_RANGE);
                gradientSum += Math.abs(d);
            }
        }
        for (int i = 0; i < IMAGE_SIDE; i++) {
            for (int j = 0; j < IMAGE_SIDE - 1; j++) {
                int d = (int) (((a[i * IMAGE_SIDE + j] - a[i * IMAGE_SIDE + j + 1]) * GRADIENT_SCALE) / GRADIENT_RANGE);
                gradientSum += Math.abs(d);
            }
        }
        return Math.min(gradientSum / QUALITY_DIVISOR, QUALITY_MAX);
    }

    /**
     * B = D A Dᵀ for the 64×64 image {@code a}, with {@code t} (16×64) as scratch; {@code b} is 16×16 row-major.
     * Each output is accumulated over k = 0..63 in order from 0.0f, as in the reference; the loops run k outside and
     * the outputs inside, so independent sums proceed side by side (and vectorise) without changing any result.
     */
    static void dct64To16(float[] a, float[] t, float[] b) {
        float[] d = DCT_MATRIX;
        // Same-indexed scratch rows let the JIT vectorise the inner loops (it cannot prove the arrays apart).
        float[] row = new float[IMAGE_SIDE];
        float[] acc = new float[IMAGE_SIDE];
        for (int i = 0; i < DCT_SIDE; i++) {
            int ti = i * IMAGE_SIDE;
            java.util.Arrays.fill(acc, 0.0f);
            for (int k = 0; k < IMAGE_SIDE; k++) {
                float dik = d[ti + k];
                System.arraycopy(a, k * IMAGE_SIDE, row, 0, IMAGE_SIDE);
                for (int j = 0; j < IMAGE_SIDE; j++) {
                    acc[j] += dik * row[j];
                }
            }
            System.arraycopy(acc, 0, t, ti, IMAGE_SIDE);
        }
        float[] dt = DCT_MATRIX_TRANSPOSED;
        float[] acc16 = new float[DCT_SIDE];
        float[] row16 = new float[DCT_SIDE];
        for (int i = 0; i < DCT_SIDE; i++) {
            java.util.Arrays.fill(acc16, 0.0f);
            for (int k = 0; k < IMAGE_SIDE; k++) {
                float tik = t[i * IMAGE_SIDE + k];
                System.arraycopy(dt, k * DCT_SIDE, row16, 0, DCT_SIDE);
                for (int j = 0; j < DCT_SIDE; j++) {
                    acc16[j] += tik * row16[j];
                }
            }
            System.arraycopy(acc16, 0, b, i * DCT_SIDE, DCT_SIDE);
        }
    }

    /**
     * Writes into {@code out} the 16×16 DCT of the image transformed by {@code dihedral}, derived from the original's
     * DCT {@code a} by sign flips and transposition (reference {@code dct16OriginalTo*}).
     */
    static void dihedral(float[] a, PdqDihedral dihedral, float[] out) {
        for (int i = 0; i < DCT_SIDE; i++) {
            for (int j = 0; j < DCT_SIDE; j++) {
                float v = a[i * DCT_SIDE + j];
                boolean negate = switch (dihedral) {
                    case ORIGINAL, FLIP_PLUS_1 -> false;
                    case ROTATE_90, FLIP_Y -> (j & 1) == 0;
                    case ROTATE_270, FLIP_X -> (i & 1) == 0;
                    case ROTATE_180, FLIP_MINUS_1 -> ((i + j) & 1) != 0;
                };
                int target = dihedral.transposes() ? j * DCT_SIDE + i : i * DCT_SIDE + j;
                out[target] = negate ? -v : v;
            }
        }
    }

    /**
     * Bit {@code i*16+j} is set when coefficient (i, j) is strictly above the median. The reference's Torben median
     * of 256 values is the 128th smallest (lower median), which is what this selects.
     */
    static PdqHash toHash(float[] b, float[] scratch) {
        System.arraycopy(b, 0, scratch, 0, b.length);
        java.util.Arrays.sort(scratch, 0, b.length);
        float median = scratch[(b.length + 1) / 2 - 1];
        long[] w = new long[4];
        for (int k = 0; k < b.length; k++) {
            if (b[k] > median) {
                w[k >>> 6] |= 1L << (k & 63);
            }
        }
        return PdqHash.ofWords(w);
    }
}
