package org.likeness.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * What a fixed similarity threshold does on a labelled set, counted exactly over <em>every</em> pair (no binning): the
 * impostor pairs at or above it (false matches) and the genuine pairs at or above it (true matches). Similarities are
 * summed in float in the order {@code Embedding.similarity} uses, so a pair counts here exactly when the product would
 * call it a match. This is how {@code eval calibrate --split tuning} measures a tuning-half threshold on the other half.
 *
 * @param threshold    similarity at or above which a pair is a match
 * @param impostors    cross-identity pairs compared
 * @param falseMatches cross-identity pairs at or above the threshold
 * @param genuine      same-identity pairs compared
 * @param trueMatches  same-identity pairs at or above the threshold
 */
public record ThresholdRates(float threshold, long impostors, long falseMatches, long genuine, long trueMatches) {

    public double fmr() {
        return impostors == 0 ? 0 : (double) falseMatches / impostors;
    }

    public double tar() {
        return genuine == 0 ? 0 : (double) trueMatches / genuine;
    }

    /**
     * @param vectors    unit vectors, one per image
     * @param identity   the label of each
     * @param thresholds the thresholds measured (one result each, in this order)
     */
    public static List<ThresholdRates> measure(List<float[]> vectors, int[] identity, float... thresholds) {
        int n = vectors.size();
        int t = thresholds.length;
        int chunks = 8 * Runtime.getRuntime().availableProcessors();
        // per chunk: [0] impostors, [1] genuine, then per threshold false matches and true matches
        long[][] counts = IntStream.range(0, chunks).parallel().mapToObj(c -> {
            long[] k = new long[2 + 2 * t];
            for (int i = c; i < n; i += chunks) {
                float[] a = vectors.get(i);
                for (int j = i + 1; j < n; j++) {
                    float[] b = vectors.get(j);
                    float s = 0;
                    for (int d = 0; d < a.length; d++) {
                        s += a[d] * b[d];
                    }
                    boolean same = identity[i] == identity[j];
                    k[same ? 1 : 0]++;
                    for (int x = 0; x < t; x++) {
                        if (s >= thresholds[x]) {
                            k[2 + 2 * x + (same ? 1 : 0)]++;
                        }
                    }
                }
            }
            return k;
        }).toList().toArray(new long[0][]);
        long[] sum = new long[2 + 2 * t];
        for (long[] k : counts) {
            for (int x = 0; x < sum.length; x++) {
                sum[x] += k[x];
            }
        }
        List<ThresholdRates> out = new ArrayList<>();
        for (int x = 0; x < t; x++) {
            out.add(new ThresholdRates(thresholds[x], sum[0], sum[2 + 2 * x], sum[1], sum[3 + 2 * x]));
        }
        return out;
    }
}
