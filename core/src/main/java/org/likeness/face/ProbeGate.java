package org.likeness.face;

import java.util.Locale;
import java.util.Optional;

/**
 * Whether a face found in a dataset is good enough to be identified at all. A face that fails is "not assessable":
 * never consented (the audit fails closed), but reported apart from "unknown" with the reason, so an auditor can tell
 * a stranger from a face too small, blurred or turned away to say who it is.
 *
 * @param minEyePixels    eye-centre distance in source pixels below which a face is too small
 * @param minSharpness    Laplacian variance of the aligned crop below which it is too blurred
 * @param maxYaw          largest |yaw| proxy (see {@link #yaw}) before the face counts as turned away
 * @param minDetectorScore detector confidence below which the face is doubtful
 */
public record ProbeGate(float minEyePixels, float minSharpness, float maxYaw, float minDetectorScore) {
    /**
     * The default gate: the cut-offs chosen on the tuning half of lfw-dev by {@code likeness bench failclosed --split
     * tuning --tune-gate} (docs/DECISIONS.md "Probe quality gate"): the combination with the highest share of enrolled
     * people's other photos recognised among assessable faces while at most {@link #MAX_NOT_ASSESSABLE} of them are
     * sent to "not assessable", out of 720 (eye distance 0–30 px, sharpness 0–100, |yaw| 0.15–∞, detector score 0–0.99).
     * Chosen: eye distance ≥ 30 px only (91.64 % of assessable recognised against 91.41 % without a gate, 0.73 % of
     * genuine probes set aside); sharpness, pose and detector score gates did not raise it on lfw-dev.
     */
    public static final ProbeGate DEFAULT = new ProbeGate(FaceQuality.GOOD_EYE_DISTANCE_PX, 0f, Float.POSITIVE_INFINITY, 0f);
    /** Everything is assessable (the behaviour before the gate existed; for comparison). */
    public static final ProbeGate NONE = new ProbeGate(0f, 0f, Float.POSITIVE_INFINITY, 0f);
    /**
     * Largest share of the tuning half's genuine probes the gate may set aside when it is chosen: 5 %. A choice, not a
     * measurement: a gate that hides more than one consenting face in twenty would move the problem, not solve it.
     */
    public static final double MAX_NOT_ASSESSABLE = 0.05;

    /**
     * Yaw proxy from the five landmarks: the nose tip's offset from the eyes' midpoint along the eye line, in eye
     * distances. About 0 for a frontal face; its magnitude grows as the head turns (≈ 0.5 near profile).
     */
    public static float yaw(Landmarks l) {
        float ex = l.x(1) - l.x(0);
        float ey = l.y(1) - l.y(0);
        float d2 = ex * ex + ey * ey;
        if (!(d2 > 0)) {
            return Float.POSITIVE_INFINITY;
        }
        float mx = (l.x(0) + l.x(1)) / 2f;
        float my = (l.y(0) + l.y(1)) / 2f;
        return ((l.x(2) - mx) * ex + (l.y(2) - my) * ey) / d2;
    }

    /** Empty when the face may be identified; otherwise the reason it is not assessable (one short phrase). */
    public Optional<String> reject(Face f) {
        FaceQuality q = f.quality();
        if (q.eyePixels() < minEyePixels) {
            return Optional.of(String.format(Locale.ROOT, "too small: %.0f px between the eyes (< %.0f)", q.eyePixels(), minEyePixels));
        }
        if (q.sharpness() < minSharpness) {
            return Optional.of(String.format(Locale.ROOT, "blurred: sharpness %.0f (< %.0f)", q.sharpness(), minSharpness));
        }
        float yaw = Math.abs(yaw(f.landmarks()));
        if (!(yaw <= maxYaw)) {
            return Optional.of(String.format(Locale.ROOT, "turned away: yaw %.2f eye distances (> %.2f)", yaw, maxYaw));
        }
        if (f.score() < minDetectorScore) {
            return Optional.of(String.format(Locale.ROOT, "doubtful face: detector score %.2f (< %.2f)", f.score(), minDetectorScore));
        }
        return Optional.empty();
    }

    public boolean passes(Face f) {
        return reject(f).isEmpty();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "eye_px>=%.0f sharpness>=%.0f |yaw|<=%.2f score>=%.2f", minEyePixels, minSharpness, maxYaw, minDetectorScore);
    }
}
