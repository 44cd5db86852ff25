package org.likeness.eval;

import java.util.List;
import java.util.stream.IntStream;

/**
 * The similarity threshold for a target false-match rate, over <em>every</em> cross-identity pair of a labelled set
 * (not only listed pairs): with 8,446 lfw-dev images that is ~35 million impostor pairs, enough to resolve 1e-4.
 * Scores are binned at {@link #BIN} resolution; the threshold returned is the upper edge of a bin, so the measured
 * FMR at it is ≤ the target.
 *
 * @param threshold   similarity at which FMR ≤ target
 * @param impostors   cross-identity pairs compared
 * @param fmr         measured false-match rate at the threshold
 * @param genuine     same-identity pairs compared
 * @param tar         fraction of same-identity pairs at or above the threshold
 */
public record ImpostorCalibration(double target, double threshold, long impostors, double fmr, long genuine, double tar) {
    static final double BIN = 1e-4;
    private static final int BINS = (int) Math.round(2 / BIN) + 1;

    /** Calibrated points with fewer false matches allowed than this are marked "not resolved" (as bench failclosed). */
    public static final double MIN_RESOLVED_FALSE_MATCHES = 10;

    /** @param vectors unit vectors, one per image; @param identity the label of each */
    public static ImpostorCalibration compute(List<float[]> vectors, int[] identity, double targetFmr) {
        return compute(vectors, identity, List.of(targetFmr)).get(0);
    }

    /** One pass over every pair, one calibrated point per target false-match rate (in the order given). */
    public static List<ImpostorCalibration> compute(List<float[]> vectors, int[] identity, List<Double> targetFmrs) {
        long[][] h = histograms(vectors, identity);
        return targetFmrs.stream().map(t -> at(h[0], h[1], t)).toList();
    }

    /** Whether the impostor pairs counted allow at least {@link #MIN_RESOLVED_FALSE_MATCHES} false matches at the target. */
    public boolean resolved() {
        return target * impostors >= MIN_RESOLVED_FALSE_MATCHES;
    }

    private static long[][] histograms(List<float[]> vectors, int[] identity) {
        int n = vectors.size();
        // rows striped over a fixed number of chunks (row i costs n-i comparisons): one histogram per chunk
        int chunks = 8 * Runtime.getRuntime().availableProcessors();
        long[][] hists = IntStream.range(0, chunks).parallel().mapToObj(c -> {
            long[] h = new long[2 * BINS];
            for (int i = c; i < n; i += chunks) {
                float[] a = vectors.get(i);
                for (int j = i + 1; j < n; j++) {
                    float[] b = vectors.get(j);
                    float s = 0;
                    for (int k = 0; k < a.length; k++) {
                        s += a[k] * b[k];
                    }
                    int bin = Math.min(BINS - 1, Math.max(0, (int) ((s + 1) / BIN)));
                    h[(identity[i] == identity[j] ? BINS : 0) + bin]++;
                }
            }
            return h;
        }).toList().toArray(new long[0][]);
        long[] imp = new long[BINS];
        long[] gen = new long[BINS];
        for (long[] h : hists) {
            for (int b = 0; b < BINS; b++) {
                imp[b] += h[b];
                gen[b] += h[BINS + b];
            }
        }
        return new long[][]{imp, gen};
    }

    private static ImpostorCalibration at(long[] imp, long[] gen, double targetFmr) {
        long nImp = sum(imp);
        long nGen = sum(gen);
        long allowed = (long) Math.floor(targetFmr * nImp);
        long above = 0;
        int edge = BINS; // threshold = lower edge of bin `edge`; impostors at or above it ≤ allowed
        for (int b = BINS - 1; b >= 0; b--) {
            if (above + imp[b] > allowed) {
                break;
            }
            above += imp[b];
            edge = b;
        }
        long genAbove = 0;
        for (int b = edge; b < BINS; b++) {
            genAbove += gen[b];
        }
        double thr = edge * BIN - 1;
        return new ImpostorCalibration(targetFmr, thr, nImp, nImp == 0 ? 0 : (double) above / nImp, nGen,
                nGen == 0 ? 0 : (double) genAbove / nGen);
    }

    private static long sum(long[] a) {
        long s = 0;
        for (long v : a) {
            s += v;
        }
        return s;
    }
}
