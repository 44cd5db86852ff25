package org.likeness.eval;

import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Point;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * The edits a dataset trader might apply to a photo, for {@link HashRobustness}. Each takes and returns an 8-bit BGR
 * image and leaves its input untouched.
 * <ul>
 *   <li>JPEG_q: re-encode at quality q with OpenCV (libjpeg-turbo) and decode;</li>
 *   <li>RESIZE_s: scale both sides by s (area interpolation down, bilinear up);</li>
 *   <li>CROP_c: keep the centre, cutting c% of the width and c% of the height (half on each side);</li>
 *   <li>BRIGHTNESS_±20: add ±20% of full scale (±51 levels), saturating;</li>
 *   <li>CONTRAST_±20: scale the distance from mid-grey (128) by 1 ± 0.2, saturating;</li>
 *   <li>GRAYSCALE: BT.601 grey, back to three equal channels;</li>
 *   <li>FLIP_HORIZONTAL: mirror left-right; ROTATE_90: a quarter turn clockwise;</li>
 *   <li>TEXT_OVERLAY: the caption "LIKENESS 2026" in white, its height about a tenth of the image, near the bottom.</li>
 * </ul>
 */
public enum ImageTransform {
    JPEG_30, JPEG_50, JPEG_70, JPEG_90,
    RESIZE_0_25, RESIZE_0_5, RESIZE_1_5, RESIZE_2,
    CROP_2, CROP_5, CROP_10,
    BRIGHTNESS_PLUS_20, BRIGHTNESS_MINUS_20,
    CONTRAST_PLUS_20, CONTRAST_MINUS_20,
    GRAYSCALE, FLIP_HORIZONTAL, ROTATE_90, TEXT_OVERLAY;

    private static final double BRIGHTNESS_STEP = 0.2 * 255;
    private static final double CONTRAST_STEP = 0.2;
    private static final double MID_GREY = 128;

    /** Whether PDQ's dihedral variants are meant to catch this edit. */
    public boolean isDihedral() {
        return this == FLIP_HORIZONTAL || this == ROTATE_90;
    }

    /** Applies the edit to a BGR image. */
    public Mat apply(Mat bgr) {
        Mat out = new Mat();
        switch (this) {
            case JPEG_30 -> out = jpeg(bgr, 30);
            case JPEG_50 -> out = jpeg(bgr, 50);
            case JPEG_70 -> out = jpeg(bgr, 70);
            case JPEG_90 -> out = jpeg(bgr, 90);
            case RESIZE_0_25 -> out = resize(bgr, 0.25);
            case RESIZE_0_5 -> out = resize(bgr, 0.5);
            case RESIZE_1_5 -> out = resize(bgr, 1.5);
            case RESIZE_2 -> out = resize(bgr, 2.0);
            case CROP_2 -> out = crop(bgr, 0.02);
            case CROP_5 -> out = crop(bgr, 0.05);
            case CROP_10 -> out = crop(bgr, 0.10);
            case BRIGHTNESS_PLUS_20 -> bgr.convertTo(out, -1, 1.0, BRIGHTNESS_STEP);
            case BRIGHTNESS_MINUS_20 -> bgr.convertTo(out, -1, 1.0, -BRIGHTNESS_STEP);
            case CONTRAST_PLUS_20 -> contrast(bgr, out, 1 + CONTRAST_STEP);
            case CONTRAST_MINUS_20 -> contrast(bgr, out, 1 - CONTRAST_STEP);
            case GRAYSCALE -> {
                Mat grey = new Mat();
                Imgproc.cvtColor(bgr, grey, Imgproc.COLOR_BGR2GRAY);
                Imgproc.cvtColor(grey, out, Imgproc.COLOR_GRAY2BGR);
            }
            case FLIP_HORIZONTAL -> Core.flip(bgr, out, 1);
            case ROTATE_90 -> Core.rotate(bgr, out, Core.ROTATE_90_CLOCKWISE);
            case TEXT_OVERLAY -> out = caption(bgr);
        }
        return out;
    }

    private static Mat jpeg(Mat bgr, int quality) {
        MatOfByte encoded = new MatOfByte();
        if (!Imgcodecs.imencode(".jpg", bgr, encoded, new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, quality))) {
            throw new IllegalStateException("OpenCV could not JPEG-encode a " + bgr.cols() + "×" + bgr.rows() + " image");
        }
        return Imgcodecs.imdecode(encoded, Imgcodecs.IMREAD_COLOR);
    }

    private static Mat resize(Mat bgr, double scale) {
        Mat out = new Mat();
        int interpolation = scale < 1 ? Imgproc.INTER_AREA : Imgproc.INTER_LINEAR;
        Imgproc.resize(bgr, out, new Size(), scale, scale, interpolation);
        return out;
    }

    private static Mat crop(Mat bgr, double fraction) {
        int dx = (int) Math.round(bgr.cols() * fraction / 2);
        int dy = (int) Math.round(bgr.rows() * fraction / 2);
        return bgr.submat(new Rect(dx, dy, bgr.cols() - 2 * dx, bgr.rows() - 2 * dy)).clone();
    }

    private static void contrast(Mat bgr, Mat out, double gain) {
        bgr.convertTo(out, -1, gain, MID_GREY * (1 - gain));
    }

    private static Mat caption(Mat bgr) {
        Mat out = bgr.clone();
        double scale = bgr.rows() / 10.0 / 22.0; // Hershey simplex capitals are about 22 px high at scale 1
        int thickness = Math.max(1, (int) Math.round(scale * 2));
        Point origin = new Point(bgr.cols() * 0.05, bgr.rows() * 0.9);
        Imgproc.putText(out, "LIKENESS 2026", origin, Imgproc.FONT_HERSHEY_SIMPLEX, scale, new Scalar(255, 255, 255),
                thickness, Imgproc.LINE_AA);
        return out;
    }
}
