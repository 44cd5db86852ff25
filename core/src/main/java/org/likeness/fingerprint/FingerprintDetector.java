package org.likeness.fingerprint;

import org.likeness.image.NativeOpenCv;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * Reads fingerprints non-blind: the suspect is aligned onto the original ({@link Registration}), the original (passed
 * through the same resampling) is subtracted, and the residual's band of DCT coefficients r is correlated with each
 * candidate's keyed signs w: <pre>  z = Σ wᵢ rᵢ / √(Σ rᵢ²)</pre>
 * The residual is computed once and shared by all candidates.
 *
 * <p>Null distribution. If the copy does not carry candidate c's mark, r is a function of the original and the suspect
 * alone, and c's signs are independent fair ±1 (the AES keystream of a secret HMAC seed, {@link MarkPattern}),
 * independent of r — true for unmarked copies, copies marked for another recipient, and copies marked under another
 * key. Conditionally on r, Σ wᵢrᵢ is then a Rademacher sum: mean 0, variance Σ rᵢ², so z is close to N(0, 1) (thousands
 * of terms, none dominant) and, exactly, Hoeffding's inequality bounds its tail: P(z ≥ t) ≤ exp(−t²/2) whatever the
 * photo or the edits. The threshold uses that bound (conservative: the Gaussian tail at the same t is smaller) with a
 * Bonferroni split over the candidates, so the probability of naming anyone wrongly is at most
 * {@link #FALSE_ACCUSATION_PER_IMAGE} per image. Stateless and thread-safe.
 */
public final class FingerprintDetector {
    /** The trace's promise (docs/DECISIONS.md): it may name a wrong recipient for at most one image in a million. */
    public static final double FALSE_ACCUSATION_PER_IMAGE = 1e-6;
    /** Suspects with a shorter side below this cannot be aligned reliably and are reported as not registered. */
    static final int MIN_SUSPECT_SIDE = 16;

    private final MarkParameters params;
    private final boolean matchResampling;

    public FingerprintDetector() {
        this(MarkParameters.DEFAULT, true);
    }

    /** @param matchResampling subtract the original passed through the suspect's resampling (true) or as it is (false) */
    FingerprintDetector(MarkParameters params, boolean matchResampling) {
        NativeOpenCv.load();
        this.params = params;
        this.matchResampling = matchResampling;
    }

    /**
     * z a candidate must reach among {@code candidates}: the t with K·exp(−t²/2) = {@link #FALSE_ACCUSATION_PER_IMAGE},
     * i.e. √(2 ln(K / 1e-6)): 5.26 for one candidate, 5.46 for 3, 6.07 for 100.
     */
    public static double threshold(int candidates) {
        return Math.sqrt(2 * Math.log(Math.max(1, candidates) / FALSE_ACCUSATION_PER_IMAGE));
    }

    /** The Hoeffding bound exp(−z²/2) on a candidate's p-value (1 for z ≤ 0). */
    public static double pValueBound(double z) {
        return z <= 0 ? 1.0 : Math.exp(-z * z / 2);
    }

    /**
     * Tests a suspect copy for each candidate's mark. Never throws for bad pictures: an original too small to carry a
     * mark, a tiny suspect or one that does not align give a detection that names nobody and says why.
     *
     * @param imageId the id the copies were marked with (e.g. the original's sha256)
     */
    public Detection detect(Mat originalBgr, Mat suspectBgr, FingerprintKey key, String imageId, List<String> candidateRecipients) {
        return measure(originalBgr, suspectBgr).decide(key, imageId, candidateRecipients);
    }

    /**
     * The key-independent half of a detection: alignment and the residual's band, computed once and then scored
     * against any number of candidates ({@link Evidence#decide}, {@link Evidence#z}).
     */
    public Evidence measure(Mat originalBgr, Mat suspectBgr) {
        MarkSpace space;
        try {
            space = MarkSpace.of(originalBgr, params);
        } catch (FingerprintException e) {
            return new Evidence(Detection.Outcome.UNUSABLE_ORIGINAL, e.getMessage(), null, Double.NaN, 0, new double[0]);
        }
        try {
            if (suspectBgr.empty() || suspectBgr.type() != CvType.CV_8UC3 || Math.min(suspectBgr.cols(), suspectBgr.rows()) < MIN_SUSPECT_SIDE) {
                return new Evidence(Detection.Outcome.NOT_REGISTERED, "suspect of " + suspectBgr.cols() + "×" + suspectBgr.rows()
                        + " is not an 8-bit colour image of at least " + MIN_SUSPECT_SIDE + " px a side", null, Double.NaN, 0, new double[0]);
            }
            Registration reg = Registration.of(space, suspectBgr);
            try {
                double[] warp = new double[6];
                float[] w = new float[6];
                reg.warp().get(0, 0, w);
                for (int i = 0; i < 6; i++) {
                    warp[i] = w[i];
                }
                if (!reg.usable()) {
                    return new Evidence(Detection.Outcome.NOT_REGISTERED,
                            String.format(Locale.ROOT, "suspect does not align with the original (correlation %.3f, overlap %.2f; need %.2f and %.2f)",
                                    reg.correlation(), reg.overlap(), Registration.MIN_CORRELATION, Registration.MIN_OVERLAP),
                            null, reg.correlation(), reg.overlap(), warp);
                }
                return new Evidence(Detection.Outcome.NO_RECIPIENT, null, residualBand(space, reg), reg.correlation(), reg.overlap(), warp);
            } finally {
                reg.release();
            }
        } finally {
            space.release();
        }
    }

    /**
     * The residual of one suspect against its original, ready to be scored.
     *
     * @param failure  NOT_REGISTERED or UNUSABLE_ORIGINAL when there is no residual (then {@code reason} says why),
     *                 NO_RECIPIENT when there is one
     * @param residual the band of the residual's DCT, or null
     */
    public record Evidence(Detection.Outcome failure, String reason, float[] residual, double correlation, double overlap, double[] warp) {

        /** Whether there is a residual and it is not all zeros (a suspect that is exactly the original, or an exact crop of it). */
        public boolean informative() {
            if (residual == null) {
                return false;
            }
            for (float x : residual) {
                if (x != 0) {
                    return true;
                }
            }
            return false;
        }

        /** The statistic of one candidate (0 when the residual is empty or absent). */
        public double z(FingerprintKey key, String recipientId, String imageId) {
            if (residual == null) {
                return 0;
            }
            float[] signs = MarkPattern.signs(key, recipientId, imageId, residual.length);
            double dot = 0, energy = 0;
            for (int i = 0; i < residual.length; i++) {
                dot += signs[i] * residual[i];
                energy += (double) residual[i] * residual[i];
            }
            return energy == 0 ? 0 : dot / Math.sqrt(energy);
        }

        public Detection decide(FingerprintKey key, String imageId, List<String> candidateRecipients) {
            List<String> candidates = new ArrayList<>(new LinkedHashSet<>(candidateRecipients));
            double threshold = threshold(candidates.size());
            if (residual == null) {
                return new Detection(failure, null, threshold, List.of(), correlation, overlap, warp, reason);
            }
            List<Detection.Score> scores = new ArrayList<>();
            Detection.Score best = null;
            for (String c : candidates) {
                double z = z(key, c, imageId);
                Detection.Score s = new Detection.Score(c, z, pValueBound(z));
                scores.add(s);
                if (z >= threshold && (best == null || z > best.z())) {
                    best = s;
                }
            }
            String why = best != null
                    ? String.format(Locale.ROOT, "%s: z %.1f ≥ %.2f (p ≤ %.1e)", best.recipientId(), best.z(), threshold, best.pValue())
                    : String.format(Locale.ROOT, "no candidate reached z %.2f (false-accusation bound %.0e per image over %d candidates)",
                    threshold, FALSE_ACCUSATION_PER_IMAGE, candidates.size());
            return new Detection(best != null ? Detection.Outcome.NAMED : Detection.Outcome.NO_RECIPIENT,
                    best == null ? null : best.recipientId(), threshold, scores, correlation, overlap, warp, why);
        }
    }

    /** The band of DCT(gain · (aligned suspect − resampled original)) over the valid overlap. */
    private float[] residualBand(MarkSpace space, Registration reg) {
        Mat aligned = Registration.toCanvas(space, reg.suspect(), reg.warp(), Imgproc.INTER_LINEAR);
        Mat reference = matchResampling ? resampledOriginal(space, reg) : space.canvasLuma;
        Mat residual = new Mat();
        Core.subtract(aligned, reference, residual);
        Mat valid = Registration.validMask(space, reg.suspect(), reg.warp());
        Mat validF = new Mat();
        valid.convertTo(validF, CvType.CV_32F, 1.0 / 255);
        Core.multiply(residual, validF, residual);
        Core.multiply(residual, space.gain, residual);
        Mat coeffs = new Mat();
        Core.dct(residual, coeffs);
        float[] band = space.bandOf(coeffs);
        for (Mat m : new Mat[] {aligned, residual, valid, validF, coeffs}) {
            m.release();
        }
        if (reference != space.canvasLuma) {
            reference.release();
        }
        return band;
    }

    /**
     * The original as the suspect's geometry saw it: blurred like an area downscale when the copy is smaller, warped into
     * the suspect's frame and back. Subtracting this instead of the original removes the image content that the
     * resampling changed, which would otherwise swamp the mark after a 0.5× resize.
     */
    private static Mat resampledOriginal(MarkSpace space, Registration reg) {
        float[] a = new float[6];
        reg.warp().get(0, 0, a);
        double scale = Math.sqrt(Math.abs(a[0] * a[4] - a[1] * a[3]));
        Mat src = space.canvasLuma;
        if (scale < 0.95) {
            src = new Mat();
            double sigma = 0.5 * Math.sqrt(1 / (scale * scale) - 1);
            Imgproc.GaussianBlur(space.canvasLuma, src, new Size(0, 0), sigma);
        }
        Mat inSuspectFrame = new Mat();
        Imgproc.warpAffine(src, inSuspectFrame, reg.warp(), reg.suspect().size(), Imgproc.INTER_LINEAR);
        Mat back = Registration.toCanvas(space, inSuspectFrame, reg.warp(), Imgproc.INTER_LINEAR);
        inSuspectFrame.release();
        if (src != space.canvasLuma) {
            src.release();
        }
        return back;
    }
}
