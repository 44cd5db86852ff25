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
 * What a leaker does to one copy beyond {@link MarketplaceCopy}, for {@code eval fingerprint --leakers}
 * (docs/BENCHMARKS.md "Leak tracing against leakers"). Each takes an 8-bit BGR image and returns a new one.
 * <ul>
 *   <li>the seven non-trivial symmetries of a square: rotations by 90°, 180°, 270°, mirror (left/right), vertical flip,
 *       transpose, anti-transpose;</li>
 *   <li>ROTATE_a: rotation by a degrees about the centre, zoomed just enough that no empty corner shows (what photo
 *       editors do), same size;</li>
 *   <li>SCALE_s: both sides scaled by s (area down, cubic up);</li>
 *   <li>CROP_25_CORNER: 25 % of the width and of the height cut, all from the left and top; CROP_30_OFFCENTRE: 30 % of
 *       each cut, a quarter from the left/top and three quarters from the right/bottom; CROP_30_WIDTH_RIGHT: 30 % of
 *       the width cut from the right;</li>
 *   <li>SCREENSHOT: re-rendered at 0.8× inside a UI frame (40 px title bar, 24 px side margins, 56 px bottom bar,
 *       flat greys and a text-like bar), saved losslessly; SCREENSHOT_JPEG_80: the same saved as JPEG 80;</li>
 *   <li>CHAIN_JPEG_50_WEBP_JPEG_70: JPEG 50, then WebP (OpenCV's libwebp, quality 75), then JPEG 70;</li>
 *   <li>MIRROR_RESIZE_0_75_JPEG_70: mirrored, 0.75×, JPEG 70.</li>
 * </ul>
 */
public enum LeakerCopy {
    ROTATE_90, ROTATE_180, ROTATE_270, MIRROR, FLIP_VERTICAL, TRANSPOSE, ANTI_TRANSPOSE,
    ROTATE_5, ROTATE_MINUS_10, ROTATE_15,
    SCALE_0_25, SCALE_0_5, SCALE_2,
    CROP_25_CORNER, CROP_30_OFFCENTRE, CROP_30_WIDTH_RIGHT,
    SCREENSHOT, SCREENSHOT_JPEG_80,
    CHAIN_JPEG_50_WEBP_JPEG_70,
    MIRROR_RESIZE_0_75_JPEG_70;

    /** Size of the UI frame of a screenshot, in pixels. */
    private static final int TITLE_BAR = 40, SIDE_MARGIN = 24, BOTTOM_BAR = 56;
    private static final double SCREENSHOT_SCALE = 0.8;
    private static final int CHAIN_WEBP_QUALITY = 75;

    public Mat apply(Mat bgr) {
        return switch (this) {
            case ROTATE_90 -> rotate(bgr, Core.ROTATE_90_CLOCKWISE);
            case ROTATE_180 -> rotate(bgr, Core.ROTATE_180);
            case ROTATE_270 -> rotate(bgr, Core.ROTATE_90_COUNTERCLOCKWISE);
            case MIRROR -> flip(bgr, 1);
            case FLIP_VERTICAL -> flip(bgr, 0);
            case TRANSPOSE -> {
                Mat out = new Mat();
                Core.transpose(bgr, out);
                yield out;
            }
            case ANTI_TRANSPOSE -> {
                Mat t = new Mat();
                Core.transpose(bgr, t);
                Mat out = rotate(t, Core.ROTATE_180);
                t.release();
                yield out;
            }
            case ROTATE_5 -> rotateBy(bgr, 5);
            case ROTATE_MINUS_10 -> rotateBy(bgr, -10);
            case ROTATE_15 -> rotateBy(bgr, 15);
            case SCALE_0_25 -> scale(bgr, 0.25);
            case SCALE_0_5 -> scale(bgr, 0.5);
            case SCALE_2 -> scale(bgr, 2);
            case CROP_25_CORNER -> crop(bgr, 0.25, 0.25, 1.0, 1.0);
            case CROP_30_OFFCENTRE -> crop(bgr, 0.30, 0.30, 0.25, 0.25);
            case CROP_30_WIDTH_RIGHT -> crop(bgr, 0.30, 0, 0, 0);
            case SCREENSHOT -> screenshot(bgr);
            case SCREENSHOT_JPEG_80 -> {
                Mat s = screenshot(bgr);
                Mat out = encode(s, ".jpg", Imgcodecs.IMWRITE_JPEG_QUALITY, 80);
                s.release();
                yield out;
            }
            case CHAIN_JPEG_50_WEBP_JPEG_70 -> {
                Mat a = encode(bgr, ".jpg", Imgcodecs.IMWRITE_JPEG_QUALITY, 50);
                Mat b = encode(a, ".webp", Imgcodecs.IMWRITE_WEBP_QUALITY, CHAIN_WEBP_QUALITY);
                Mat out = encode(b, ".jpg", Imgcodecs.IMWRITE_JPEG_QUALITY, 70);
                a.release();
                b.release();
                yield out;
            }
            case MIRROR_RESIZE_0_75_JPEG_70 -> {
                Mat a = flip(bgr, 1);
                Mat b = scale(a, 0.75);
                Mat out = encode(b, ".jpg", Imgcodecs.IMWRITE_JPEG_QUALITY, 70);
                a.release();
                b.release();
                yield out;
            }
        };
    }

    private static Mat rotate(Mat m, int code) {
        Mat out = new Mat();
        Core.rotate(m, out, code);
        return out;
    }

    private static Mat flip(Mat m, int code) {
        Mat out = new Mat();
        Core.flip(m, out, code);
        return out;
    }

    /** Rotation about the centre, zoomed so the rotated frame covers the whole output (no empty corners). */
    static Mat rotateBy(Mat m, double degrees) {
        double r = Math.toRadians(Math.abs(degrees)), w = m.cols(), h = m.rows();
        double zoom = Math.max((w * Math.cos(r) + h * Math.sin(r)) / w, (w * Math.sin(r) + h * Math.cos(r)) / h);
        Mat rot = Imgproc.getRotationMatrix2D(new Point(w / 2.0, h / 2.0), degrees, zoom);
        Mat out = new Mat();
        Imgproc.warpAffine(m, out, rot, m.size(), Imgproc.INTER_LINEAR, Core.BORDER_REFLECT, Scalar.all(0));
        rot.release();
        return out;
    }

    static Mat scale(Mat m, double s) {
        Mat out = new Mat();
        Imgproc.resize(m, out, new Size(Math.max(1, Math.round(m.cols() * s)), Math.max(1, Math.round(m.rows() * s))), 0, 0,
                s < 1 ? Imgproc.INTER_AREA : Imgproc.INTER_CUBIC);
        return out;
    }

    /** Cuts {@code fx} of the width and {@code fy} of the height, {@code leadX}/{@code leadY} of each cut from the left/top. */
    static Mat crop(Mat m, double fx, double fy, double leadX, double leadY) {
        int cutX = (int) Math.round(m.cols() * fx), cutY = (int) Math.round(m.rows() * fy);
        int x = (int) Math.round(cutX * leadX), y = (int) Math.round(cutY * leadY);
        return m.submat(new Rect(x, y, m.cols() - cutX, m.rows() - cutY)).clone();
    }

    /** The photo shown at 0.8× inside a window: title bar, margins, a bottom bar with a text-like strip. */
    static Mat screenshot(Mat m) {
        Mat shown = scale(m, SCREENSHOT_SCALE);
        int w = shown.cols() + 2 * SIDE_MARGIN, h = shown.rows() + TITLE_BAR + BOTTOM_BAR;
        Mat out = new Mat(h, w, m.type(), new Scalar(242, 242, 242));
        Imgproc.rectangle(out, new Point(0, 0), new Point(w - 1, TITLE_BAR - 1), new Scalar(60, 60, 60), -1);
        Imgproc.putText(out, "photo.jpg - Viewer", new Point(8, TITLE_BAR - 14), Imgproc.FONT_HERSHEY_SIMPLEX, 0.5, new Scalar(230, 230, 230), 1);
        Imgproc.putText(out, "1 of 250   100%", new Point(8, h - 20), Imgproc.FONT_HERSHEY_SIMPLEX, 0.45, new Scalar(40, 40, 40), 1);
        shown.copyTo(out.submat(new Rect(SIDE_MARGIN, TITLE_BAR, shown.cols(), shown.rows())));
        shown.release();
        return out;
    }

    static Mat encode(Mat m, String ext, int param, int quality) {
        MatOfByte buf = new MatOfByte();
        if (!Imgcodecs.imencode(ext, m, buf, new MatOfInt(param, quality))) {
            throw new IllegalStateException("OpenCV cannot encode " + ext);
        }
        Mat out = Imgcodecs.imdecode(buf, Imgcodecs.IMREAD_COLOR);
        buf.release();
        return out;
    }
}
