package org.likeness.fingerprint;

/**
 * The tuning of the mark, shared by embedding and detection (a detector must use the embedder's values). Package-private:
 * {@link #DEFAULT} is the only set the product uses; others exist for the measurements in docs/DECISIONS.md.
 *
 * @param canvasMaxSide longest side of the canvas the mark is defined on; larger photos are marked through a downscaled
 *                      canvas and the mark is upsampled, so the cost per photo is bounded and the mark is low-frequency
 * @param bandLow       lowest normalised DCT radius carrying the mark (1 = Nyquist along an axis)
 * @param bandHigh      highest normalised DCT radius carrying the mark
 * @param markRms       root-mean-square of the added luminance, in 8-bit levels, before rounding and clipping
 * @param masking       whether the mark is scaled by local activity (stronger in texture, weaker in flat areas)
 */
public record MarkParameters(int canvasMaxSide, double bandLow, double bandHigh, double markRms, boolean masking) {

    /**
     * Chosen by {@code ParameterSweep} on 60 lfw-dev photos (docs/DECISIONS.md, 2026-11-26): the band 0.02–0.20 of Nyquist
     * gave the highest worst-case statistic on a JPEG-50, 0.5×, 5 %-cropped copy (min z 12.9, vs 9.5 for 0.02–0.30 and
     * 7.5 for 0.02–0.45) and the best SSIM; masking costs statistic but raises SSIM from 0.982 to 0.993; RMS 1.3 levels
     * leaves room for the release re-encode under the 42 dB PSNR floor (1.5 left one photo at 41.98 dB).
     */
    public static final MarkParameters DEFAULT = new MarkParameters(512, 0.02, 0.20, 1.3, true);

    public MarkParameters {
        if (canvasMaxSide < 32 || !(0 <= bandLow && bandLow < bandHigh && bandHigh <= 1) || !(markRms > 0)) {
            throw new IllegalArgumentException("bad mark parameters: " + canvasMaxSide + ", " + bandLow + "–" + bandHigh + ", " + markRms);
        }
    }
}
