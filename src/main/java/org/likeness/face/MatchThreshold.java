package org.likeness.face;

/**
 * Cosine-similarity thresholds at which two faces are called the same person, per embedder configuration.
 */
public final class MatchThreshold {
    /**
     * fr-feature-512, default pipeline (UltraFace, one landmark pass, no flip): the lowest similarity at which at most
     * 1e-4 of all cross-identity pairs of ../shared/data/lfw-dev match. Measured 2026-11-26 by
     * {@code likeness eval calibrate --images ../shared/data/lfw-dev/images}: 35,445,598 impostor pairs of 2,959
     * people, measured FMR 9.99e-5, TAR 0.9763 over 217,637 genuine pairs (docs/BENCHMARKS.md, "Calibration").
     */
    public static final float FR_FEATURE_FMR_1E4 = 0.4285f;

    private MatchThreshold() {
    }

    public static float forModel(String embedderId) {
        return switch (embedderId) {
            case "fr-feature-512" -> FR_FEATURE_FMR_1E4;
            default -> throw new IllegalArgumentException("no calibrated threshold for embedder '" + embedderId
                    + "' (only the default pipeline is calibrated); run `likeness eval calibrate` with the same options");
        };
    }
}
