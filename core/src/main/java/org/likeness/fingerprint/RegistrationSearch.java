package org.likeness.fingerprint;

import org.opencv.calib3d.Calib3d;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.DMatch;
import org.opencv.core.KeyPoint;
import org.opencv.core.Mat;
import org.opencv.core.MatOfDMatch;
import org.opencv.core.MatOfKeyPoint;
import org.opencv.core.MatOfPoint2f;
import org.opencv.core.Point;
import org.opencv.core.Size;
import org.opencv.features2d.DescriptorMatcher;
import org.opencv.features2d.ORB;
import org.opencv.imgproc.Imgproc;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The wider alignment search for copies the direct one cannot place (docs/DECISIONS.md "Registration of leaked copies"):
 * the suspect is turned back into each of the eight orientations of a square (rotations by 90°, mirrors; exact pixel
 * permutations), the orientations are ranked by how well a small thumbnail of each matches the original's, and the best
 * {@link #ORIENTATIONS_TRIED} are aligned two ways: template matching over crops up to {@link #MAX_CROP} of each axis,
 * anywhere in the frame, and ORB features with a RANSAC similarity (rotation, any scale, a copy inside a larger frame such
 * as a screenshot), each refined by ECC. The alignment with the highest correlation wins. Like {@link Registration} it
 * looks at the original and the suspect only, never at a key, so the detector's null distribution is untouched.
 */
final class RegistrationSearch {
    /**
     * A direct alignment at or above this correlation is taken as is; below it the search runs. The same value as the
     * trace's same-photo test (Tracer.SAME_PHOTO_CORRELATION, measured by RegistrationCheck): the hardest marketplace copy
     * aligned at ≥ 0.980 directly, so ordinary copies never pay for the search.
     */
    static final double CONFIDENT_CORRELATION = 0.96;
    /** Largest crop per axis the wide template search allows for (the leak tests crop up to 30 %, anywhere). */
    static final double MAX_CROP = 0.32;
    /** Scales tried by the wide template search: 0.32 of range in 13 steps, ≤ 2.7 % apart, within ECC's reach. */
    static final int SCALE_STEPS = 13;
    /** Orientations aligned in full, best thumbnails first (faces are near-symmetric, so a mirror can rank close). */
    static final int ORIENTATIONS_TRIED = 2;
    /** Side of the thumbnails that rank the orientations. */
    private static final int THUMB = 24;
    /** ORB features per image and the RANSAC reprojection threshold (canvas pixels). */
    private static final int ORB_FEATURES = 1000;
    private static final double RANSAC_PX = 3.0;
    /** Fewest RANSAC inliers for a feature alignment to be refined. */
    private static final int MIN_INLIERS = 8;

    private RegistrationSearch() {
    }

    /** The eight orientations as pixel operations on the suspect (one of them undoes what the leaker did). */
    enum Orientation {
        AS_IS, ROTATE_90_CW, ROTATE_180, ROTATE_90_CCW, MIRROR, FLIP_VERTICAL, TRANSPOSE, ANTI_TRANSPOSE;

        Mat apply(Mat m) {
            Mat out = new Mat();
            switch (this) {
                case AS_IS -> m.copyTo(out);
                case ROTATE_90_CW -> Core.rotate(m, out, Core.ROTATE_90_CLOCKWISE);
                case ROTATE_180 -> Core.rotate(m, out, Core.ROTATE_180);
                case ROTATE_90_CCW -> Core.rotate(m, out, Core.ROTATE_90_COUNTERCLOCKWISE);
                case MIRROR -> Core.flip(m, out, 1);
                case FLIP_VERTICAL -> Core.flip(m, out, 0);
                case TRANSPOSE -> Core.transpose(m, out);
                case ANTI_TRANSPOSE -> {
                    Mat t = new Mat();
                    Core.transpose(m, t);
                    Core.rotate(t, out, Core.ROTATE_180);
                    t.release();
                }
            }
            return out;
        }
    }

    /** The best of {@code plain} and every alignment the search finds; the losers are released. */
    static Registration search(MarkSpace space, Mat suspectBgr, Registration plain) {
        Registration best = plain;
        for (Orientation o : ranked(space, suspectBgr)) {
            Mat oriented = o.apply(suspectBgr);
            try {
                if (o != Orientation.AS_IS) {
                    best = better(best, Registration.direct(space, oriented));
                }
                if (best.correlation() >= CONFIDENT_CORRELATION) {
                    return best;
                }
                Mat s = Registration.suspectLuma(space, oriented);
                best = better(best, Registration.refine(space, s.clone(), Registration.initialWarp(space.canvasLuma, s, MAX_CROP, SCALE_STEPS)));
                if (best.correlation() >= CONFIDENT_CORRELATION) {
                    s.release();
                    return best;
                }
                Mat w = featureWarp(space.canvasLuma, s);
                if (w != null) {
                    best = better(best, Registration.refine(space, s, w));
                } else {
                    s.release();
                }
            } finally {
                oriented.release();
            }
            if (best.correlation() >= CONFIDENT_CORRELATION) {
                return best;
            }
        }
        return best;
    }

    private static Registration better(Registration a, Registration b) {
        boolean bWins = b.usable() && !a.usable() || b.usable() == a.usable() && b.correlation() > a.correlation();
        (bWins ? a : b).release();
        return bWins ? b : a;
    }

    /** The {@link #ORIENTATIONS_TRIED} orientations whose thumbnails correlate best with the original's. */
    static List<Orientation> ranked(MarkSpace space, Mat suspectBgr) {
        Mat ref = thumb(space.canvasLuma);
        Mat luma = MarkSpace.luma(suspectBgr);
        List<double[]> scored = new ArrayList<>();
        for (Orientation o : Orientation.values()) {
            Mat oriented = o.apply(luma);
            Mat t = thumb(oriented);
            scored.add(new double[] {o.ordinal(), ncc(ref, t)});
            oriented.release();
            t.release();
        }
        ref.release();
        luma.release();
        scored.sort(Comparator.comparingDouble((double[] x) -> -x[1]));
        List<Orientation> out = new ArrayList<>();
        for (int i = 0; i < ORIENTATIONS_TRIED; i++) {
            out.add(Orientation.values()[(int) scored.get(i)[0]]);
        }
        return out;
    }

    private static Mat thumb(Mat luma) {
        Mat t = new Mat();
        Imgproc.resize(luma, t, new Size(THUMB, THUMB), 0, 0, Imgproc.INTER_AREA);
        return t;
    }

    private static double ncc(Mat a, Mat b) {
        Mat r = new Mat();
        Imgproc.matchTemplate(a, b, r, Imgproc.TM_CCOEFF_NORMED);
        double v = r.get(0, 0)[0];
        r.release();
        return Double.isFinite(v) ? v : -1;
    }

    /**
     * Canvas → suspect similarity from ORB matches (cross-checked Hamming matching, RANSAC), as the 2×3 CV_32F warp that
     * ECC refines; null when too few features agree.
     */
    static Mat featureWarp(Mat canvasLuma, Mat suspectLuma) {
        Mat a = to8u(canvasLuma), b = to8u(suspectLuma);
        ORB orb = ORB.create(ORB_FEATURES);
        MatOfKeyPoint ka = new MatOfKeyPoint(), kb = new MatOfKeyPoint();
        Mat da = new Mat(), db = new Mat();
        try {
            orb.detectAndCompute(a, new Mat(), ka, da);
            orb.detectAndCompute(b, new Mat(), kb, db);
            if (da.rows() < MIN_INLIERS || db.rows() < MIN_INLIERS) {
                return null;
            }
            DescriptorMatcher matcher = DescriptorMatcher.create(DescriptorMatcher.BRUTEFORCE_HAMMING);
            MatOfDMatch ab = new MatOfDMatch(), ba = new MatOfDMatch();
            matcher.match(da, db, ab);
            matcher.match(db, da, ba);
            DMatch[] fwd = ab.toArray(), back = ba.toArray();
            KeyPoint[] pa = ka.toArray(), pb = kb.toArray();
            List<Point> src = new ArrayList<>(), dst = new ArrayList<>();
            for (DMatch m : fwd) {
                if (back[m.trainIdx].trainIdx == m.queryIdx) {
                    src.add(pa[m.queryIdx].pt);
                    dst.add(pb[m.trainIdx].pt);
                }
            }
            ab.release();
            ba.release();
            if (src.size() < MIN_INLIERS) {
                return null;
            }
            MatOfPoint2f s = new MatOfPoint2f(src.toArray(new Point[0])), d = new MatOfPoint2f(dst.toArray(new Point[0]));
            Mat inliers = new Mat();
            Mat m = Calib3d.estimateAffinePartial2D(s, d, inliers, Calib3d.RANSAC, RANSAC_PX);
            int count = inliers.empty() ? 0 : Core.countNonZero(inliers);
            s.release();
            d.release();
            inliers.release();
            if (m.empty() || count < MIN_INLIERS) {
                m.release();
                return null;
            }
            Mat w = new Mat();
            m.convertTo(w, CvType.CV_32F);
            m.release();
            return w;
        } finally {
            for (Mat x : new Mat[] {a, b, ka, kb, da, db}) {
                x.release();
            }
        }
    }

    private static Mat to8u(Mat f) {
        Mat out = new Mat();
        f.convertTo(out, CvType.CV_8U);
        return out;
    }
}
