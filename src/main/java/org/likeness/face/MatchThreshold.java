package org.likeness.face;

/**
 * Cosine-similarity thresholds at which two faces are called the same person, per embedder configuration.
 */
public final class MatchThreshold {
    /**
     * fr-feature-512 with flip TTA and refined landmarks: similarity at a false-match rate of 1e-4, measured on all
     * cross-identity pairs of ../shared/data/lfw-dev (see docs/BENCHMARKS.md, "Calibration"). PROVISIONAL until calibrated.
     */
    public static final float FR_FEATURE_FLIP_FMR_1E4 = 0.40f;
    /** Same for fr-feature-512 without flip TTA. PROVISIONAL until calibrated. */
    public static final float FR_FEATURE_FMR_1E4 = 0.40f;

    private MatchThreshold() {
    }

    public static float forModel(String embedderId) {
        return switch (embedderId) {
            case "fr-feature-512+flip" -> FR_FEATURE_FLIP_FMR_1E4;
            case "fr-feature-512" -> FR_FEATURE_FMR_1E4;
            default -> throw new IllegalArgumentException("no calibrated threshold for embedder '" + embedderId
                    + "'; run `likeness eval calibrate` for it");
        };
    }
}
