package org.likeness.registry;

/**
 * When a probe counts as a registered subject: cosine similarity at least {@code threshold} AND
 * ahead of the best different subject by at least {@code margin}. Anything else is unknown, and
 * unknown is never consented (fail closed).
 *
 * @param threshold cosine similarity floor; comes from the face pipeline's calibration for its model
 * @param margin    minimum lead over the runner-up subject
 */
public record MatchPolicy(double threshold, double margin) {
    /**
     * Provisional margin over the runner-up subject: 0.05 in cosine similarity. A choice made when
     * the registry was written, not yet calibrated; replace with a value measured on the
     * development splits (the same-vs-different score gap at FMR 1e-4) once the calibration exists.
     */
    public static final double PROVISIONAL_MARGIN = 0.05;

    public MatchPolicy {
        if (!(threshold > -1.0 && threshold <= 1.0)) {
            throw new InvalidInputException("match threshold " + threshold + " is not a cosine similarity in (-1, 1]");
        }
        if (!(margin >= 0.0 && margin < 2.0)) {
            throw new InvalidInputException("match margin " + margin + " must be in [0, 2)");
        }
    }

    /** A policy with the calibrated threshold and the provisional margin. */
    public static MatchPolicy withProvisionalMargin(double threshold) {
        return new MatchPolicy(threshold, PROVISIONAL_MARGIN);
    }
}
