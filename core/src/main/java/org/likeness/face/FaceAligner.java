package org.likeness.face;

import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Warps a face to the 112×112 ArcFace template by the least-squares similarity transform (Umeyama 1991, no reflection)
 * that maps the five detected points onto the template points.
 */
public final class FaceAligner {
    public static final int SIZE = 112;
    /** ArcFace / InsightFace 112×112 template: left eye, right eye, nose tip, left and right mouth corner (insightface face_align.py). */
    static final float[] TEMPLATE = {
            38.2946f, 51.6963f, 73.5318f, 51.5014f, 56.0252f, 71.7366f, 41.5493f, 92.3655f, 70.7299f, 92.2041f};

    private FaceAligner() {
    }

    /** The 2×3 similarity matrix {@code [a -b tx; b a ty]} from image points to the 112×112 template. */
    static double[] similarity(Landmarks lm) {
        return similarity(lm, SIZE);
    }

    /** As {@link #similarity(Landmarks)} for a template scaled to a {@code size}×{@code size} crop. */
    static double[] similarity(Landmarks lm, int size) {
        double k = (double) size / SIZE;
        int n = Landmarks.POINTS;
        double msx = 0, msy = 0, mdx = 0, mdy = 0;
        for (int i = 0; i < n; i++) {
            msx += lm.x(i);
            msy += lm.y(i);
            mdx += k * TEMPLATE[2 * i];
            mdy += k * TEMPLATE[2 * i + 1];
        }
        msx /= n;
        msy /= n;
        mdx /= n;
        mdy /= n;
        double ss = 0, p = 0, q = 0;
        for (int i = 0; i < n; i++) {
            double ax = lm.x(i) - msx, ay = lm.y(i) - msy;
            double bx = k * TEMPLATE[2 * i] - mdx, by = k * TEMPLATE[2 * i + 1] - mdy;
            ss += ax * ax + ay * ay;
            p += ax * bx + ay * by;
            q += ax * by - ay * bx;
        }
        if (ss <= 0) {
            throw new IllegalArgumentException("degenerate landmarks: all five points coincide");
        }
        double a = p / ss;
        double b = q / ss;
        double tx = mdx - (a * msx - b * msy);
        double ty = mdy - (b * msx + a * msy);
        return new double[]{a, -b, tx, b, a, ty};
    }

    /** The aligned 112×112 BGR crop; the caller releases it. */
    public static Mat align(Mat bgr, Landmarks lm) {
        return align(bgr, lm, SIZE);
    }

    /** The aligned {@code size}×{@code size} BGR crop (template scaled from 112); the caller releases it. */
    public static Mat align(Mat bgr, Landmarks lm, int size) {
        double[] t = similarity(lm, size);
        Mat m = new Mat(2, 3, CvType.CV_64F);
        Mat out = new Mat();
        try {
            m.put(0, 0, t);
            Imgproc.warpAffine(bgr, out, m, new Size(size, size), Imgproc.INTER_LINEAR, Core.BORDER_CONSTANT, new Scalar(0, 0, 0));
            return out;
        } finally {
            m.release();
        }
    }
}
