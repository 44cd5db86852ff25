package org.likeness.face;

/**
 * Cosine-similarity thresholds at which two faces are called the same person, per embedder configuration.
 */
public final class MatchThreshold {
    /**
     * fr-feature-512, default pipeline (UltraFace, one landmark pass, no flip): the lowest similarity at which at most
     * 1e-4 of the cross-identity pairs of the TUNING half of ../shared/data/lfw-dev (eval.PersonSplit; 1,430 people,
     * 3,606 faces) match. Measured 2026-11-29 by {@code likeness eval calibrate --images ../shared/data/lfw-dev/images
     * --split tuning --fmr 1e-4,1e-5,1e-6}: 6,480,267 impostor pairs, measured FMR 1.00e-4, TAR 0.9561 over 19,548
     * genuine pairs. On the evaluation half (1,529 people, 4,840 faces, never calibrated on): FMR 1.85e-4 (2,129 of
     * 11,512,291 impostor pairs), TAR 0.9796 over 198,089 genuine pairs (docs/BENCHMARKS.md, "Calibration"). Before:
     * 0.4285, calibrated on all of lfw-dev, evaluation half included.
     */
    public static final float FR_FEATURE_FMR_1E4 = 0.4239f;

    /**
     * Same calibration run, {@code --fmr 1e-5}: tuning half FMR 9.88e-6, TAR 0.8990; evaluation half FMR 1.59e-5
     * (183 of 11,512,291), TAR 0.9518. Before (all of lfw-dev): 0.4916.
     */
    public static final float FR_FEATURE_FMR_1E5 = 0.4935f;
    /**
     * Same calibration run, {@code --fmr 1e-6}: tuning half FMR 9.26e-7 (6 of 6,480,267 impostor pairs: fewer than 10
     * false matches, so this point is NOT resolved by the tuning half), TAR 0.8099; evaluation half FMR 1.39e-6 (16 of
     * 11,512,291), TAR 0.8950. The strictest point calibrated. Before (all of lfw-dev): 0.5478.
     */
    public static final float FR_FEATURE_FMR_1E6 = 0.5520f;

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
     * below 1e-6 the 1e-6 point, the strictest measured (the tuning half's 6.5 million impostor pairs allow 6 false
     * matches at 1e-6: even that point is not resolved, and nothing stricter can be).
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
