package org.likeness.fingerprint;

import org.opencv.core.Core;
import org.opencv.core.CvException;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.core.TermCriteria;
import org.opencv.imgproc.Imgproc;
import org.opencv.video.Video;

/**
 * Puts a suspect copy back onto the original's canvas: scale from the two sizes (a copy may be resized and cropped by up
 * to {@link #MAX_CROP} on each axis), translation by template matching, then sub-pixel refinement of a full affine map by
 * ECC (Evangelidis &amp; Psarakis 2008, OpenCV {@code findTransformECC}). Uses only the original and the suspect, never a
 * key: the choice of alignment cannot favour any recipient, which keeps the detector's null distribution intact.
 *
 * @param warp        2×3 affine map from canvas coordinates to suspect coordinates (suspect already scaled by the
 *                    canvas factor), CV_32F
 * @param suspect     the suspect's luminance at that scale, CV_32F
 * @param correlation normalised correlation of the aligned suspect with the original over the overlap (−1…1)
 * @param overlap     fraction of the canvas the suspect covers after alignment
 */
record Registration(Mat warp, Mat suspect, double correlation, double overlap) {
    /** Largest crop per axis the scale search allows for (the marketplace copies crop at most 5 %). */
    static final double MAX_CROP = 0.06;
    /**
     * Least correlation of the aligned suspect with the original for the copy to count as registered. Measured with the
     * test-scope {@code RegistrationCheck} on the first two photos of 300 lfw-dev people (2026-11-26): the hardest
     * marketplace copy (JPEG 50, 0.5×, off-centre crop) aligned at ≥ 0.980; the other photo of the same person reached
     * up to 0.933 (LFW holds near-duplicates). The detector's null distribution does not depend on the alignment, so
     * this only decides whether a non-copy is reported as NOT_REGISTERED or as NO_RECIPIENT; it is kept low so that a
     * real copy of a harder photo is not dropped.
     */
    static final double MIN_CORRELATION = 0.85;
    /**
     * Least overlap (fraction of the canvas) for a copy to count as registered: a copy cropped by 30 % of each axis keeps
     * 0.49 of it (docs/BENCHMARKS.md "Leak tracing against leakers"). Like the correlation, it only decides whether a
     * non-copy is reported as NOT_REGISTERED; the null distribution does not depend on it.
     */
    static final double MIN_OVERLAP = 0.4;
    private static final int SCALE_STEPS = 3;
    private static final int ECC_ITERATIONS = 50;
    private static final double ECC_EPSILON = 1e-4;
    private static final int ECC_GAUSS = 3;

    boolean usable() {
        return correlation >= MIN_CORRELATION && overlap >= MIN_OVERLAP;
    }

    /**
     * Aligns {@code suspectBgr} onto the space's canvas: first as a resized copy cropped by at most {@link #MAX_CROP};
     * when that does not align confidently, by {@link RegistrationSearch} (the eight orientations, crops up to 30 %
     * anywhere, rotation, screenshots), keeping whichever aligns best. Still key-independent.
     */
    static Registration of(MarkSpace space, Mat suspectBgr) {
        Registration plain = direct(space, suspectBgr);
        if (plain.correlation() >= RegistrationSearch.CONFIDENT_CORRELATION) {
            return plain;
        }
        return RegistrationSearch.search(space, suspectBgr, plain);
    }

    /** The first, cheap alignment: scale from the sizes, translation by template matching, ECC. */
    static Registration direct(MarkSpace space, Mat suspectBgr) {
        Mat s = suspectLuma(space, suspectBgr);
        return refine(space, s, initialWarp(space.canvasLuma, s, MAX_CROP, SCALE_STEPS));
    }

    /** ECC refinement of an initial warp on an already scaled suspect luminance (which the result owns). */
    static Registration refine(MarkSpace space, Mat s, Mat warp) {
        try {
            Video.findTransformECC(space.canvasLuma, s, warp, Video.MOTION_AFFINE,
                    new TermCriteria(TermCriteria.COUNT + TermCriteria.EPS, ECC_ITERATIONS, ECC_EPSILON), new Mat(), ECC_GAUSS);
        } catch (CvException e) {
            // ECC did not converge (e.g. an unrelated photo): keep the initial estimate, the correlation below judges it
        }
        Mat aligned = toCanvas(space, s, warp, Imgproc.INTER_LINEAR);
        Mat valid = validMask(space, s, warp);
        double overlap = Core.countNonZero(valid) / (double) valid.total();
        double corr = overlap == 0 ? 0 : correlation(aligned, space.canvasLuma, valid);
        aligned.release();
        valid.release();
        return new Registration(warp, s, corr, overlap);
    }

    /** The suspect's luminance, downscaled by the same factor as the original's canvas when that is below 1. */
    static Mat suspectLuma(MarkSpace space, Mat suspectBgr) {
        Mat y = MarkSpace.luma(suspectBgr);
        double f = (double) space.canvasWidth / space.width;
        if (f >= 1) {
            return y;
        }
        Mat out = new Mat();
        Imgproc.resize(y, out, new Size(Math.max(1, Math.round(y.cols() * f)), Math.max(1, Math.round(y.rows() * f))), 0, 0, Imgproc.INTER_AREA);
        y.release();
        return out;
    }

    /** Scale from the sizes (searched over the crop interval), translation by normalised template matching. */
    static Mat initialWarp(Mat canvas, Mat s, double maxCrop, int scaleSteps) {
        double sx = (double) s.cols() / canvas.cols(), sy = (double) s.rows() / canvas.rows();
        Mat warp = Mat.eye(2, 3, CvType.CV_32F);
        if (s.cols() == canvas.cols() && s.rows() == canvas.rows() && maxCrop <= MAX_CROP) {
            return warp;
        }
        double lo = Math.max(sx, sy), hi = Math.max(lo, Math.min(sx, sy) / (1 - maxCrop));
        double bestScore = Double.NEGATIVE_INFINITY, bestScale = lo;
        Point bestLoc = new Point(0, 0);
        for (int i = 0; i < scaleSteps; i++) {
            double scale = lo + (hi - lo) * i / (scaleSteps - 1);
            int tw = Math.min(canvas.cols(), (int) Math.round(s.cols() / scale));
            int th = Math.min(canvas.rows(), (int) Math.round(s.rows() / scale));
            if (tw < 8 || th < 8) {
                continue;
            }
            Mat t = new Mat(), result = new Mat();
            Imgproc.resize(s, t, new Size(tw, th), 0, 0, scale < 1 ? Imgproc.INTER_LINEAR : Imgproc.INTER_AREA);
            Imgproc.matchTemplate(canvas, t, result, Imgproc.TM_CCOEFF_NORMED);
            Core.MinMaxLocResult m = Core.minMaxLoc(result);
            if (m.maxVal > bestScore) {
                bestScore = m.maxVal;
                bestScale = scale;
                bestLoc = m.maxLoc;
            }
            t.release();
            result.release();
        }
        // x_s = scale · (x_c − loc.x), y_s = scale · (y_c − loc.y)
        warp.put(0, 0, bestScale, 0, -bestScale * bestLoc.x, 0, bestScale, -bestScale * bestLoc.y);
        return warp;
    }

    /** Samples a suspect-frame image at the canvas positions the warp maps to (zero outside). */
    static Mat toCanvas(MarkSpace space, Mat suspectFrame, Mat warp, int interpolation) {
        Mat out = new Mat();
        Imgproc.warpAffine(suspectFrame, out, warp, new Size(space.canvasWidth, space.canvasHeight),
                interpolation | Imgproc.WARP_INVERSE_MAP, Core.BORDER_CONSTANT, Scalar.all(0));
        return out;
    }

    /** 8-bit mask of the canvas pixels whose aligned value comes from inside the suspect, two pixels in from its edge. */
    static Mat validMask(MarkSpace space, Mat s, Mat warp) {
        Mat ones = new Mat(s.size(), CvType.CV_8U, Scalar.all(255));
        Mat m = toCanvas(space, ones, warp, Imgproc.INTER_NEAREST);
        Imgproc.erode(m, m, Imgproc.getStructuringElement(Imgproc.MORPH_RECT, new Size(5, 5)));
        ones.release();
        return m;
    }

    private static double correlation(Mat a, Mat b, Mat mask) {
        org.opencv.core.MatOfDouble ma = new org.opencv.core.MatOfDouble(), sa = new org.opencv.core.MatOfDouble();
        org.opencv.core.MatOfDouble mb = new org.opencv.core.MatOfDouble(), sb = new org.opencv.core.MatOfDouble();
        Core.meanStdDev(a, ma, sa, mask);
        Core.meanStdDev(b, mb, sb, mask);
        Mat da = new Mat(), db = new Mat(), prod = new Mat();
        Core.subtract(a, new Scalar(ma.get(0, 0)[0]), da);
        Core.subtract(b, new Scalar(mb.get(0, 0)[0]), db);
        Core.multiply(da, db, prod);
        double cov = Core.mean(prod, mask).val[0];
        double denom = sa.get(0, 0)[0] * sb.get(0, 0)[0];
        da.release();
        db.release();
        prod.release();
        return denom == 0 ? 0 : cov / denom;
    }

    void release() {
        warp.release();
        suspect.release();
    }
}
