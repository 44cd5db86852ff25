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
record MarkParameters(int canvasMaxSide, double bandLow, double bandHigh, double markRms, boolean masking) {

    /**
     * Chosen by the sweep in docs/DECISIONS.md (lfw-dev, 2026-11-27): band 0.02–0.30 of Nyquist survives JPEG 50 and a
     * 0.5× resize (whose 2×2 area average passes 0.30 of the original Nyquist at ≥ 0.85 amplitude); RMS 1.5 levels keeps
     * the released JPEG above 42 dB PSNR (the release re-encode adds its own error).
     */
    static final MarkParameters DEFAULT = new MarkParameters(512, 0.02, 0.30, 1.5, true);

    MarkParameters {
        if (canvasMaxSide < 32 || !(0 <= bandLow && bandLow < bandHigh && bandHigh <= 1) || !(markRms > 0)) {
            throw new IllegalArgumentException("bad mark parameters: " + canvasMaxSide + ", " + bandLow + "–" + bandHigh + ", " + markRms);
        }
    }
}
