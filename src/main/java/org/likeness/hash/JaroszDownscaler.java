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
     * Filters {@code buffer1} in place (using {@code buffer2} as scratch) and decimates into {@code out}
     * ({@code outRows × outCols}, row-major).
     */
    static void downscale(float[] buffer1, float[] buffer2, int rows, int cols, float[] out, int outRows, int outCols) {
        int windowAlongRows = windowSize(cols, outCols);
        int windowAlongCols = windowSize(rows, outRows);
        for (int pass = 0; pass < JAROSZ_XY_PASSES; pass++) {
            for (int i = 0; i < rows; i++) {
                box1d(buffer1, buffer2, i * cols, cols, 1, windowAlongRows);
            }
            for (int j = 0; j < cols; j++) {
                box1d(buffer2, buffer1, j, rows, cols, windowAlongCols);
            }
        }
        decimate(buffer1, rows, cols, out, outRows, outCols);
    }

    /** Samples the filtered image at target-cell centres (reference {@code decimateFloat}). */
    static void decimate(float[] in, int rows, int cols, float[] out, int outRows, int outCols) {
        for (int oi = 0; oi < outRows; oi++) {
            int ii = (int) (((oi + 0.5) * rows) / outRows);
            for (int oj = 0; oj < outCols; oj++) {
                int ij = (int) (((oj + 0.5) * cols) / outCols);
                out[oi * outCols + oj] = in[ii * cols + ij];
            }
        }
    }

    /**
     * Centred running-mean box filter of width {@code window} over {@code length} values starting at {@code start}
     * with {@code stride}; near the ends the mean is over the part of the window inside the vector
     * (reference {@code box1DFloat}, four phases).
     */
    static void box1d(float[] in, float[] out, int start, int length, int stride, int window) {
        int half = (window + 2) / 2;
        int phase1 = half - 1;
        int phase2 = window - half + 1;
        int phase3 = length - window;
        int phase4 = half - 1;
        int li = start;
        int ri = start;
        int oi = start;
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
