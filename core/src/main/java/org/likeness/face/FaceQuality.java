package org.likeness.face;

/**
 * Why a face is or is not usable for recognition.
 *
 * @param score      combined quality in [0,1]: detector score × size factor × sharpness factor
 * @param eyePixels  eye-centre distance in the source image
 * @param sharpness  variance of the Laplacian of the aligned grey crop
 */
public record FaceQuality(float score, float eyePixels, float sharpness) {
    /** ISO/IEC 19794-5 asks for ≥ 60 px between eye centres for a full frontal image; half of that already recognises well at 112 px. */
    public static final float GOOD_EYE_DISTANCE_PX = 30f;
    /** Laplacian variance of a sharp aligned LFW crop is typically 300–1,500; below ~100 blur dominates (our lfw-dev inspection, 2026-11-26). */
    public static final float GOOD_SHARPNESS = 100f;

    public static FaceQuality of(float detectorScore, float eyePixels, float sharpness) {
        float size = Math.min(1f, eyePixels / GOOD_EYE_DISTANCE_PX);
        float sharp = Math.min(1f, sharpness / GOOD_SHARPNESS);
        return new FaceQuality(detectorScore * size * sharp, eyePixels, sharpness);
    }
}
