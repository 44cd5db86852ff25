package org.likeness.eval;

import org.likeness.eval.ImageTransform;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * The copies a dataset trader makes of a released photo, for {@code eval fingerprint} (docs/BENCHMARKS.md, Fingerprint: JPEG re-encode at
 * quality 50–90, resize 0.5–1.0, crop ≤ 5 %; renaming and shuffling do not touch pixels). A combination applies its
 * crop, then its resize, then its JPEG encode. Each takes and returns an 8-bit BGR image and leaves its input untouched.
 * <ul>
 *   <li>CROP_c: keep the centre, cutting c % of the width and of the height (half on each side);</li>
 *   <li>CROP_5_CORNER: cut 5 % of the width from the left and 3 % of the height from the top (off-centre, aspect changes);</li>
 *   <li>RESIZE_s: scale both sides by s (area interpolation); JPEG_q: OpenCV (libjpeg-turbo) at quality q.</li>
 * </ul>
 */
public enum MarketplaceCopy {
    RELEASED(0, 0, 0, 1, 0),
    JPEG_90(0, 0, 0, 1, 90), JPEG_70(0, 0, 0, 1, 70), JPEG_50(0, 0, 0, 1, 50),
    RESIZE_0_75(0, 0, 0, 0.75, 0), RESIZE_0_5(0, 0, 0, 0.5, 0),
    CROP_2(0.02, 0.02, 0.5, 1, 0), CROP_5(0.05, 0.05, 0.5, 1, 0), CROP_5_CORNER(0.05, 0.03, 1, 1, 0),
    JPEG_70_RESIZE_0_75_CROP_5(0.05, 0.05, 0.5, 0.75, 70),
    JPEG_50_RESIZE_0_5_CROP_5_CORNER(0.05, 0.03, 1, 0.5, 50);

    private final double cropX, cropY, cropLeadFraction, scale;
    private final int jpegQuality;

    /**
     * @param cropLeadFraction share of the cut taken from the left/top edge (0.5 = centred, 1 = all from left/top)
     * @param jpegQuality      0 for no re-encode
     */
    MarketplaceCopy(double cropX, double cropY, double cropLeadFraction, double scale, int jpegQuality) {
        this.cropX = cropX;
        this.cropY = cropY;
        this.cropLeadFraction = cropLeadFraction;
        this.scale = scale;
        this.jpegQuality = jpegQuality;
    }

    /** Makes the copy from a released photo's pixels. */
    public Mat apply(Mat bgr) {
        Mat out = bgr;
        if (cropX > 0 || cropY > 0) {
            int cutX = (int) Math.round(bgr.cols() * cropX), cutY = (int) Math.round(bgr.rows() * cropY);
            int x = (int) Math.round(cutX * cropLeadFraction), y = (int) Math.round(cutY * cropLeadFraction);
            out = bgr.submat(new Rect(x, y, bgr.cols() - cutX, bgr.rows() - cutY)).clone();
        }
        if (scale != 1) {
            Mat resized = new Mat();
            Imgproc.resize(out, resized, new Size(Math.round(out.cols() * scale), Math.round(out.rows() * scale)), 0, 0, Imgproc.INTER_AREA);
            out = release(out, bgr, resized);
        }
        if (jpegQuality > 0) {
            Mat jpeg = switch (jpegQuality) {
                case 50 -> ImageTransform.JPEG_50.apply(out);
                case 70 -> ImageTransform.JPEG_70.apply(out);
                case 90 -> ImageTransform.JPEG_90.apply(out);
                default -> throw new IllegalStateException("no JPEG transform for quality " + jpegQuality);
            };
            out = release(out, bgr, jpeg);
        }
        return out == bgr ? bgr.clone() : out;
    }

    private static Mat release(Mat previous, Mat input, Mat next) {
        if (previous != input) {
            previous.release();
        }
        return next;
    }
}
