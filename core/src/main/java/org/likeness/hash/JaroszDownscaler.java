package org.likeness.hash;

/**
 * Blur-and-decimate to 64×64 as in the reference's {@code pdq/cpp/downscaling/downscaling.cpp}: a Jarosz tent filter
 * (repeated 1-D box filters along rows then columns), then nearest-centre decimation. Float arithmetic is done in
 * the same order as the reference so that results are bit-identical.
 */
final class JaroszDownscaler {

    /** Two box passes per axis approximate a tent filter (reference: {@code PDQ_NUM_JAROSZ_XY_PASSES = 2}). */
    static final int JAROSZ_XY_PASSES = 2;

    private JaroszDownscaler() {
    }

    /** Reference {@code computeJaroszFilterWindowSize}: half a target cell per pass, rounded up. */
    static int windowSize(int oldDimension, int newDimension) {
        return (oldDimension + 2 * newDimension - 1) / (2 * newDimension);
    }

    /**
     * Filters and decimates a row-major luminance image ({@code rows × cols}, overwritten) to {@code outRows ×
     * outCols} (row-major {@code out}), using {@code scratch} (same size) as work space.
     *
     * <p>The reference filters rows, columns, rows, columns over the whole image, then samples it. Here the passes
     * along columns run down all columns at once (sequential memory), and the second pair of passes computes only
     * what decimation samples: the second row pass keeps just the sampled columns, and the second column pass runs
     * on those. Every sampled pixel still sees the reference's exact sequence of float additions, subtractions and
     * divisions, so the result is bit-identical to {@code jaroszFilterFloat} then {@code decimateFloat}.
     */
    static void downscale(float[] image, float[] scratch, int rows, int cols, float[] out, int outRows, int outCols) {
        int work = workSize(rows, cols, outCols);
        if (image.length < work || scratch.length < work) {
            throw new IllegalArgumentException("work buffers of " + image.length + " and " + scratch.length + " floats for a "
                    + cols + "×" + rows + " image: need " + work);
        }
        int windowAlongRows = windowSize(cols, outCols);
        int windowAlongCols = windowSize(rows, outRows);
        float[] sums = new float[Math.max(cols, outCols)];
        boxAlongRows(image, scratch, rows, cols, windowAlongRows);          // pass 1 along rows
        boxDownColumns(scratch, image, rows, cols, windowAlongCols, sums); // pass 1 along columns
        int[] sampledCols = centres(cols, outCols);
        float[] filtered = new float[cols];
        int i = 0;
        for (; i + 4 <= rows; i += 4) {                                    // pass 2 along rows, sampled columns only
            boxFourRowsSampled(image, i * cols, cols, windowAlongRows, sampledCols, scratch, i * outCols);
        }
        for (; i < rows; i++) {
            box1d(image, filtered, i * cols, cols, 1, windowAlongRows, -i * cols);
            for (int oj = 0; oj < outCols; oj++) {
                scratch[i * outCols + oj] = filtered[sampledCols[oj]];
            }
        }
        boxDownColumns(scratch, image, rows, outCols, windowAlongCols, sums); // pass 2 along columns
        int[] sampledRows = centres(rows, outRows);
        for (int oi = 0; oi < outRows; oi++) {
            System.arraycopy(image, sampledRows[oi] * outCols, out, oi * outCols, outCols);
        }
    }

    /**
     * Floats each of {@link #downscale}'s {@code image} and {@code scratch} must hold: the image, and the
     * {@code rows × outCols} the second passes write (more than the image when it is narrower than the output).
     */
    static int workSize(int rows, int cols, int outCols) {
        return Math.multiplyExact(rows, Math.max(cols, outCols));
    }

    /** {@link #box1d} along every row, four rows at a time so that their running sums overlap in the pipeline. */
    static void boxAlongRows(float[] in, float[] out, int rows, int cols, int window) {
        int i = 0;
        for (; i + 4 <= rows; i += 4) {
            boxFourRows(in, out, i * cols, cols, window, 0);
        }
        for (; i < rows; i++) {
            box1d(in, out, i * cols, cols, 1, window);
        }
    }

    /**
     * {@link #box1d} on the four consecutive rows starting at {@code start} (each {@code cols} long), interleaved:
     * each row keeps its own sum and sees exactly the reference's sequence of operations.
     */
    static void boxFourRows(float[] in, float[] out, int start, int cols, int window, int outShift) {
        int half = (window + 2) / 2;
        int phase1 = half - 1;
        int phase2 = window - half + 1;
        int phase3 = cols - window;
        int phase4 = half - 1;
        int r0 = start;
        int r1 = start + cols;
        int r2 = start + 2 * cols;
        int r3 = start + 3 * cols;
        int o = outShift;
        float s0 = 0.0f;
        float s1 = 0.0f;
        float s2 = 0.0f;
        float s3 = 0.0f;
        int ri = 0;
        int li = 0;
        int oi = 0;
        int current = 0;
        for (int k = 0; k < phase1; k++, ri++) {
            s0 += in[r0 + ri];
            s1 += in[r1 + ri];
            s2 += in[r2 + ri];
            s3 += in[r3 + ri];
            current++;
        }
        for (int k = 0; k < phase2; k++, ri++, oi++) {
            current++;
            float n = current;
            s0 += in[r0 + ri];
            s1 += in[r1 + ri];
            s2 += in[r2 + ri];
            s3 += in[r3 + ri];
            out[o + r0 + oi] = s0 / n;
            out[o + r1 + oi] = s1 / n;
            out[o + r2 + oi] = s2 / n;
            out[o + r3 + oi] = s3 / n;
        }
        float full = current;
        for (int k = 0; k < phase3; k++, ri++, li++, oi++) {
            s0 = s0 + in[r0 + ri] - in[r0 + li];
            s1 = s1 + in[r1 + ri] - in[r1 + li];
            s2 = s2 + in[r2 + ri] - in[r2 + li];
            s3 = s3 + in[r3 + ri] - in[r3 + li];
            out[o + r0 + oi] = s0 / full;
            out[o + r1 + oi] = s1 / full;
            out[o + r2 + oi] = s2 / full;
            out[o + r3 + oi] = s3 / full;
        }
        for (int k = 0; k < phase4; k++, li++, oi++) {
            current--;
            float n = current;
            s0 -= in[r0 + li];
            s1 -= in[r1 + li];
            s2 -= in[r2 + li];
            s3 -= in[r3 + li];
            out[o + r0 + oi] = s0 / n;
            out[o + r1 + oi] = s1 / n;
            out[o + r2 + oi] = s2 / n;
            out[o + r3 + oi] = s3 / n;
        }
    }

    /**
     * {@link #boxFourRows} that divides and stores only at the sampled columns {@code sampled} (ascending, possibly
     * repeated), writing row k's samples to {@code out[outStart + k * sampled.length + o]}; the running sums still
     * take every column, in the reference's order.
     */
    static void boxFourRowsSampled(float[] in, int start, int cols, int window, int[] sampled, float[] out,
            int outStart) {
        int half = (window + 2) / 2;
        int phase1 = half - 1;
        int phase2 = window - half + 1;
        int phase3 = cols - window;
        int phase4 = half - 1;
        int m = sampled.length;
        int r0 = start;
        int r1 = start + cols;
        int r2 = start + 2 * cols;
        int r3 = start + 3 * cols;
        float s0 = 0.0f;
        float s1 = 0.0f;
        float s2 = 0.0f;
        float s3 = 0.0f;
        int ri = 0;
        int li = 0;
        int oi = 0;
        int next = 0;
        int current = 0;
        for (int k = 0; k < phase1; k++, ri++) {
            s0 += in[r0 + ri];
            s1 += in[r1 + ri];
            s2 += in[r2 + ri];
            s3 += in[r3 + ri];
            current++;
        }
        for (int k = 0; k < phase2; k++, ri++, oi++) {
            current++;
            s0 += in[r0 + ri];
            s1 += in[r1 + ri];
            s2 += in[r2 + ri];
            s3 += in[r3 + ri];
            for (float n = current; next < m && sampled[next] == oi; next++) {
                store(out, outStart + next, m, s0 / n, s1 / n, s2 / n, s3 / n);
            }
        }
        float full = current;
        for (int k = 0; k < phase3; k++, ri++, li++, oi++) {
            s0 = s0 + in[r0 + ri] - in[r0 + li];
            s1 = s1 + in[r1 + ri] - in[r1 + li];
            s2 = s2 + in[r2 + ri] - in[r2 + li];
            s3 = s3 + in[r3 + ri] - in[r3 + li];
            for (; next < m && sampled[next] == oi; next++) {
                store(out, outStart + next, m, s0 / full, s1 / full, s2 / full, s3 / full);
            }
        }
        for (int k = 0; k < phase4; k++, li++, oi++) {
            current--;
            s0 -= in[r0 + li];
            s1 -= in[r1 + li];
            s2 -= in[r2 + li];
            s3 -= in[r3 + li];
            for (float n = current; next < m && sampled[next] == oi; next++) {
                store(out, outStart + next, m, s0 / n, s1 / n, s2 / n, s3 / n);
            }
        }
    }

    private static void store(float[] out, int at, int stride, float v0, float v1, float v2, float v3) {
        out[at] = v0;
        out[at + stride] = v1;
        out[at + 2 * stride] = v2;
        out[at + 3 * stride] = v3;
    }

    /** Reference {@code decimateFloat}: the input index at the centre of each of {@code out} target cells. */
    static int[] centres(int in, int out) {
        int[] idx = new int[out];
        for (int o = 0; o < out; o++) {
            idx[o] = (int) (((o + 0.5) * in) / out);
        }
        return idx;
    }

    /**
     * The reference's {@code box1DFloat} applied down every column of a {@code rows × cols} matrix: a centred
     * running mean of width {@code window}, averaging only the in-range part near the ends (four phases).
     */
    static void boxDownColumns(float[] in, float[] out, int rows, int cols, int window, float[] sums) {
        int half = (window + 2) / 2;
        int phase1 = half - 1;
        int phase2 = window - half + 1;
        int phase3 = rows - window;
        int phase4 = half - 1;
        java.util.Arrays.fill(sums, 0, cols, 0.0f);
        int ri = 0;
        int li = 0;
        int oi = 0;
        int current = 0;
        for (int k = 0; k < phase1; k++, ri += cols) {
            for (int j = 0; j < cols; j++) {
                sums[j] += in[ri + j];
            }
            current++;
        }
        for (int k = 0; k < phase2; k++, ri += cols, oi += cols) {
            current++;
            float n = current;
            for (int j = 0; j < cols; j++) {
                float s = sums[j] + in[ri + j];
                sums[j] = s;
                out[oi + j] = s / n;
            }
        }
        float full = current;
        // Rows copied into same-indexed scratch rows let the JIT vectorise (it cannot prove in/out/sums apart).
        float[] add = new float[cols];
        float[] sub = new float[cols];
        float[] mean = new float[cols];
        for (int k = 0; k < phase3; k++, ri += cols, li += cols, oi += cols) {
            System.arraycopy(in, ri, add, 0, cols);
            System.arraycopy(in, li, sub, 0, cols);
            for (int j = 0; j < cols; j++) {
                float s = sums[j] + add[j] - sub[j];
                sums[j] = s;
                mean[j] = s / full;
            }
            System.arraycopy(mean, 0, out, oi, cols);
        }
        for (int k = 0; k < phase4; k++, li += cols, oi += cols) {
            current--;
            float n = current;
            for (int j = 0; j < cols; j++) {
                float s = sums[j] - in[li + j];
                sums[j] = s;
                out[oi + j] = s / n;
            }
        }
    }

    /**
     * Centred running-mean box filter of width {@code window} over {@code length} values starting at {@code start}
     * with {@code stride}; near the ends the mean is over the part of the window inside the vector
     * (reference {@code box1DFloat}, four phases). The step-by-step form of {@link #boxDownColumns}, kept as its
     * test oracle.
     */
    static void box1d(float[] in, float[] out, int start, int length, int stride, int window) {
        box1d(in, out, start, length, stride, window, 0);
    }

    /** As above, writing output element k at {@code out[start + k * stride + outShift]}. */
    static void box1d(float[] in, float[] out, int start, int length, int stride, int window, int outShift) {
        int half = (window + 2) / 2;
        int phase1 = half - 1;
        int phase2 = window - half + 1;
        int phase3 = length - window;
        int phase4 = half - 1;
        int li = start;
        int ri = start;
        int oi = start + outShift;
        float sum = 0.0f;
        int current = 0;
        for (int i = 0; i < phase1; i++) {
            sum += in[ri];
            current++;
            ri += stride;
        }
        for (int i = 0; i < phase2; i++) {
            sum += in[ri];
            current++;
            out[oi] = sum / current;
            ri += stride;
            oi += stride;
        }
        for (int i = 0; i < phase3; i++) {
            sum += in[ri];
            sum -= in[li];
            out[oi] = sum / current;
            li += stride;
            ri += stride;
            oi += stride;
        }
        for (int i = 0; i < phase4; i++) {
            sum -= in[li];
            current--;
            out[oi] = sum / current;
            li += stride;
            oi += stride;
        }
    }
}
