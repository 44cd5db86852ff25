package org.likeness.eval;

import java.util.Arrays;

/**
 * The LFW protocol's numbers from pair scores: 10-fold accuracy with the threshold chosen on the nine other folds,
 * TAR at fixed false-match rates, and the equal error rate.
 *
 * @param accuracy     mean held-out accuracy over the folds
 * @param accuracyStd  standard deviation of the fold accuracies
 * @param threshold    mean of the per-fold accuracy-optimal thresholds
 * @param tarAtFmr1e3  true-accept rate at the highest threshold with FMR ≤ 1e-3 on these pairs
 * @param tarAtFmr1e4  same at 1e-4 (with fewer than 10,000 impostor pairs this means "no impostor accepted")
 * @param eer          equal error rate
 */
public record VerificationMetrics(double accuracy, double accuracyStd, double threshold, double tarAtFmr1e3,
                                  double tarAtFmr1e4, double eer) {
    public static final int FOLDS = 10;

    /**
     * @param folds fold index per pair, or null to cross-validate over 10 deterministic folds (pair i → fold i mod 10,
     *              taken separately over same and different pairs so each fold keeps the balance)
     */
    public static VerificationMetrics compute(double[] scores, boolean[] same, int[] folds) {
        int n = scores.length;
        int[] f = folds;
        if (f == null) {
            f = new int[n];
            int s = 0, d = 0;
            for (int i = 0; i < n; i++) {
                f[i] = same[i] ? (s++ % FOLDS) : (d++ % FOLDS);
            }
        }
        double[] acc = new double[FOLDS];
        double thrSum = 0;
        for (int k = 0; k < FOLDS; k++) {
            double t = bestThreshold(scores, same, f, k);
            thrSum += t;
            int right = 0, total = 0;
            for (int i = 0; i < n; i++) {
                if (f[i] == k) {
                    total++;
                    if ((scores[i] >= t) == same[i]) {
                        right++;
                    }
                }
            }
            acc[k] = total == 0 ? 0 : (double) right / total;
        }
        double mean = Arrays.stream(acc).average().orElse(0);
        double var = Arrays.stream(acc).map(a -> (a - mean) * (a - mean)).sum() / (FOLDS - 1);
        return new VerificationMetrics(mean, Math.sqrt(var), thrSum / FOLDS,
                tarAtFmr(scores, same, 1e-3), tarAtFmr(scores, same, 1e-4), eer(scores, same));
    }

    /** The accuracy-maximising threshold on every fold but {@code held}; midpoints between sorted scores. */
    static double bestThreshold(double[] scores, boolean[] same, int[] f, int held) {
        int m = 0;
        for (int x : f) {
            if (x != held) {
                m++;
            }
        }
        double[] s = new double[m];
        boolean[] y = new boolean[m];
        Integer[] order = new Integer[m];
        int j = 0;
        for (int i = 0; i < scores.length; i++) {
            if (f[i] != held) {
                s[j] = scores[i];
                y[j] = same[i];
                order[j] = j;
                j++;
            }
        }
        Arrays.sort(order, (p, q) -> Double.compare(s[p], s[q]));
        int positives = 0;
        for (boolean b : y) {
            if (b) {
                positives++;
            }
        }
        // threshold below everything: all called same → correct = positives
        int correct = positives;
        int best = correct;
        double bestT = s[order[0]] - 1e-6;
        for (int r = 0; r < m; r++) {
            // move threshold just above s[order[r]]: that pair now called different
            correct += y[order[r]] ? -1 : 1;
            if (r + 1 < m && s[order[r + 1]] == s[order[r]]) {
                continue;
            }
            if (correct > best) {
                best = correct;
                bestT = r + 1 < m ? (s[order[r]] + s[order[r + 1]]) / 2 : s[order[r]] + 1e-6;
            }
        }
        return bestT;
    }

    /** Fraction of genuine pairs at or above the lowest threshold whose impostor accept rate is ≤ {@code fmr}. */
    public static double tarAtFmr(double[] scores, boolean[] same, double fmr) {
        double t = thresholdAtFmr(impostors(scores, same), fmr);
        int g = 0, accepted = 0;
        for (int i = 0; i < scores.length; i++) {
            if (same[i]) {
                g++;
                if (scores[i] >= t) {
                    accepted++;
                }
            }
        }
        return g == 0 ? 0 : (double) accepted / g;
    }

    /**
     * The smallest threshold t such that at most floor(fmr × N) of the N impostor scores are ≥ t:
     * just above the (k+1)-th highest impostor score, k = floor(fmr × N).
     */
    public static double thresholdAtFmr(double[] impostorScores, double fmr) {
        double[] imp = impostorScores.clone();
        Arrays.sort(imp);
        int allowed = (int) Math.floor(fmr * imp.length);
        int idx = imp.length - 1 - allowed;
        if (idx < 0) {
            return Double.NEGATIVE_INFINITY;
        }
        return Math.nextUp(imp[idx]);
    }

    private static double[] impostors(double[] scores, boolean[] same) {
        return java.util.stream.IntStream.range(0, scores.length).filter(i -> !same[i]).mapToDouble(i -> scores[i]).toArray();
    }

    /** Equal error rate: where false accepts and false rejects cross, by a sweep over the observed scores. */
    public static double eer(double[] scores, boolean[] same) {
        double[] sorted = scores.clone();
        Arrays.sort(sorted);
        int g = 0, im = 0;
        for (boolean b : same) {
            if (b) {
                g++;
            } else {
                im++;
            }
        }
        double best = 1, eer = 0.5;
        for (double t : sorted) {
            int fa = 0, fr = 0;
            for (int i = 0; i < scores.length; i++) {
                if (same[i] && scores[i] < t) {
                    fr++;
                } else if (!same[i] && scores[i] >= t) {
                    fa++;
                }
            }
            double far = (double) fa / im, frr = (double) fr / g;
            if (Math.abs(far - frr) < best) {
                best = Math.abs(far - frr);
                eer = (far + frr) / 2;
            }
        }
        return eer;
    }
}
