package org.likeness.fingerprint;

/**
 * Evidence summed over the photos of a dataset (docs/DECISIONS.md "Dataset-level accusation"). For one candidate, each
 * photo i that aligned with its original gives z_i = Σ_j w_ij r_ij / ‖r_i‖ ({@link FingerprintDetector}); the dataset
 * statistic is S = Σ_i z_i / √m over the m photos of distinct originals. If the candidate's mark is in none of them, the
 * signs w_ij are independent fair ±1 across all i and j (each photo's pattern comes from its own keyed stream) and
 * independent of the residuals, so S is a Rademacher sum with Σ coefficients² = 1 and Hoeffding bounds its tail exactly as
 * for one photo: P(S ≥ t) ≤ exp(−t²/2). With a Bonferroni split over K candidates the chance of accusing anyone wrongly
 * from a dataset is at most {@link #FALSE_ACCUSATION_PER_DATASET}. A coalition that averages c copies divides each
 * member's z by about c, and S grows with √m: a dataset recovers what single photos lose.
 */
public final class DatasetEvidence {
    /** A dataset-level accusation is wrong with probability at most this (same bound as one photo's). */
    public static final double FALSE_ACCUSATION_PER_DATASET = 1e-6;

    private DatasetEvidence() {
    }

    /** The S a candidate must reach among {@code candidates}: √(2 ln(K / 1e-6)). */
    public static double threshold(int candidates) {
        return Math.sqrt(2 * Math.log(Math.max(1, candidates) / FALSE_ACCUSATION_PER_DATASET));
    }

    /** S from the sum of the per-photo statistics and the number of photos summed (0 for none). */
    public static double statistic(double sumZ, int photos) {
        return photos == 0 ? 0 : sumZ / Math.sqrt(photos);
    }

    /** Hoeffding's bound exp(−S²/2) on one candidate's S (1 for S ≤ 0). */
    public static double pValueBound(double s) {
        return FingerprintDetector.pValueBound(s);
    }
}
