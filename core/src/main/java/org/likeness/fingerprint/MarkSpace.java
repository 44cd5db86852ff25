package org.likeness.fingerprint;

import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Where the mark lives for one original: a canvas (the original's luminance, downscaled so its longest side is at most
 * {@link MarkParameters#canvasMaxSide()}, both sides even as OpenCV's DCT needs), the band of full-frame DCT coefficients
 * that carry the mark, in a fixed order, and the perceptual gain map. Everything here depends on the original and the
 * parameters only, never on the key: the detector rebuilds exactly what the embedder used.
 */
final class MarkSpace {
    /** Smallest side, in pixels, of a photo that can carry a mark: below it the band holds too few coefficients. */
    static final int MIN_SIDE = 32;
    /** Local activity window (pixels of the canvas) for the masking gain. */
    private static final int ACTIVITY_WINDOW = 7;
    /** Gain bounds: flat areas still carry 40 % of the mean amplitude, texture at most 2.5×. */
    private static final double GAIN_MIN = 0.4, GAIN_MAX = 2.5;
    /** Added to the local standard deviation so that sensor noise alone does not count as texture (levels). */
    private static final double ACTIVITY_FLOOR = 2.0;

    final MarkParameters params;
    final int width, height;          // the original's size
    final int canvasWidth, canvasHeight;
    final int[] band;                 // row-major indexes into the canvas of the coefficients that carry the mark
    final Mat canvasLuma;             // CV_32F, canvas size
    final Mat gain;                   // CV_32F, canvas size (all ones without masking)

    private MarkSpace(MarkParameters params, int width, int height, Mat canvasLuma) {
        this.params = params;
        this.width = width;
        this.height = height;
        this.canvasWidth = canvasLuma.cols();
        this.canvasHeight = canvasLuma.rows();
        this.canvasLuma = canvasLuma;
        this.band = band(params, canvasWidth, canvasHeight);
        this.gain = params.masking() ? maskingGain(canvasLuma) : Mat.ones(canvasLuma.size(), CvType.CV_32F);
    }

    /** The mark space of an 8-bit BGR original; refuses photos whose shorter side is under {@link #MIN_SIDE}. */
    static MarkSpace of(Mat originalBgr, MarkParameters params) {
        if (originalBgr.empty() || originalBgr.type() != CvType.CV_8UC3) {
            throw new FingerprintException("the original must be a non-empty 8-bit BGR image, got type " + originalBgr.type());
        }
        if (Math.min(originalBgr.cols(), originalBgr.rows()) < MIN_SIDE) {
            throw new FingerprintException("a " + originalBgr.cols() + "×" + originalBgr.rows()
                    + " image is too small to carry a fingerprint (shorter side under " + MIN_SIDE + " px)");
        }
        Mat luma = luma(originalBgr);
        Size canvas = canvasSize(originalBgr.cols(), originalBgr.rows(), params.canvasMaxSide());
        return new MarkSpace(params, originalBgr.cols(), originalBgr.rows(), toCanvas(luma, canvas));
    }

    static Mat luma(Mat bgr) {
        Mat grey = new Mat();
        Imgproc.cvtColor(bgr, grey, Imgproc.COLOR_BGR2GRAY);
        Mat f = new Mat();
        grey.convertTo(f, CvType.CV_32F);
        grey.release();
        return f;
    }

    static Size canvasSize(int w, int h, int maxSide) {
        double f = Math.min(1.0, (double) maxSide / Math.max(w, h));
        int cw = (int) Math.round(w * f) & ~1;
        int ch = (int) Math.round(h * f) & ~1;
        return new Size(cw, ch);
    }

    /** Resamples a full-size single-channel float image onto the canvas (area average; identity when sizes match). */
    static Mat toCanvas(Mat full, Size canvas) {
        if (full.cols() == (int) canvas.width && full.rows() == (int) canvas.height) {
            return full;
        }
        Mat out = new Mat();
        Imgproc.resize(full, out, canvas, 0, 0, Imgproc.INTER_AREA);
        return out;
    }

    /** Resamples a canvas image back to the original's size (bilinear). */
    Mat toFull(Mat canvasImage) {
        if (canvasWidth == width && canvasHeight == height) {
            return canvasImage;
        }
        Mat out = new Mat();
        Imgproc.resize(canvasImage, out, new Size(width, height), 0, 0, Imgproc.INTER_LINEAR);
        return out;
    }

    private static int[] band(MarkParameters p, int cw, int ch) {
        double lo2 = p.bandLow() * p.bandLow(), hi2 = p.bandHigh() * p.bandHigh();
        int[] tmp = new int[cw * ch];
        int n = 0;
        for (int v = 0; v < ch; v++) {
            double fy = (double) v / ch;
            for (int u = 0; u < cw; u++) {
                double fx = (double) u / cw;
                double r2 = fx * fx + fy * fy;
                if (r2 >= lo2 && r2 <= hi2) {
                    tmp[n++] = v * cw + u;
                }
            }
        }
        return java.util.Arrays.copyOf(tmp, n);
    }

    /** Gain ∝ local standard deviation + floor, normalised to mean 1, clamped to [GAIN_MIN, GAIN_MAX]. */
    private static Mat maskingGain(Mat luma) {
        Size k = new Size(ACTIVITY_WINDOW, ACTIVITY_WINDOW);
        Mat mean = new Mat(), sq = new Mat(), meanSq = new Mat();
        Imgproc.blur(luma, mean, k);
        Core.multiply(luma, luma, sq);
        Imgproc.blur(sq, meanSq, k);
        Mat var = new Mat();
        Core.multiply(mean, mean, mean);
        Core.subtract(meanSq, mean, var);
        Imgproc.threshold(var, var, 0, 0, Imgproc.THRESH_TOZERO);
        Mat activity = new Mat();
        Core.sqrt(var, activity);
        Core.add(activity, new org.opencv.core.Scalar(ACTIVITY_FLOOR), activity);
        double m = Core.mean(activity).val[0];
        Mat gain = new Mat();
        activity.convertTo(gain, CvType.CV_32F, 1.0 / m);
        Imgproc.threshold(gain, gain, GAIN_MAX, GAIN_MAX, Imgproc.THRESH_TRUNC);
        Core.max(gain, new org.opencv.core.Scalar(GAIN_MIN), gain);
        mean.release();
        sq.release();
        meanSq.release();
        var.release();
        activity.release();
        return gain;
    }

    /** Coefficients of the band read from a canvas-sized DCT, in band order. */
    float[] bandOf(Mat dct) {
        float[] all = new float[canvasWidth * canvasHeight];
        dct.get(0, 0, all);
        float[] out = new float[band.length];
        for (int i = 0; i < band.length; i++) {
            out[i] = all[band[i]];
        }
        return out;
    }

    void release() {
        canvasLuma.release();
        gain.release();
    }
}
