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

    /** Same calibration run, {@code --fmr 1e-5}: measured FMR 9.90e-6, TAR 0.9485. */
    public static final float FR_FEATURE_FMR_1E5 = 0.4916f;
    /** Same calibration run, {@code --fmr 1e-6}: measured FMR 9.87e-7, TAR 0.8933. The strictest point calibrated. */
    public static final float FR_FEATURE_FMR_1E6 = 0.5478f;

    /**
     * Largest share of strangers' faces an identification may attribute to some enrolled subject (the audit's
     * fail-closed target: ≤ 0.1 % of unconsented faces reported as consented).
     */
    public static final double MAX_FALSE_IDENTIFICATION = 1e-3;

    private MatchThreshold() {
    }

    /**
     * The threshold for identifying a face among {@code gallerySubjects} people: a stranger is compared with every one
     * of them, so the per-comparison FMR must be {@link #MAX_FALSE_IDENTIFICATION} / subjects (open-set
     * identification). Measured without this: 3.9 % of strangers identified against 592 subjects at FMR 1e-4
     * (docs/BENCHMARKS.md, "Fail closed"). A subject enrolled from several photos scores its best template, so callers
     * pass the number of templates when it is larger (union bound: P(stranger matched) ≤ templates × FMR).
     */
    public static float forIdentification(String embedderId, int gallerySubjects) {
        return atFmr(embedderId, MAX_FALSE_IDENTIFICATION / Math.max(1, gallerySubjects));
    }

    /**
     * The threshold of the calibrated point with the largest FMR that is still ≤ {@code fmr} (1e-4, 1e-5, 1e-6);
     * below 1e-6 the 1e-6 point, the strictest measured (35 million impostor pairs cannot resolve less).
     */
    public static float atFmr(String embedderId, double fmr) {
        float at1e4 = forModel(embedderId);
        if (fmr >= 1e-4) {
            return at1e4;
        }
        return fmr >= 1e-5 ? FR_FEATURE_FMR_1E5 : FR_FEATURE_FMR_1E6;
    }

    public static float forModel(String embedderId) {
        return switch (embedderId) {
            case "fr-feature-512" -> FR_FEATURE_FMR_1E4;
            default -> throw new IllegalArgumentException("no calibrated threshold for embedder '" + embedderId
                    + "' (only the default pipeline is calibrated); run `likeness eval calibrate` with the same options");
        };
    }
}
