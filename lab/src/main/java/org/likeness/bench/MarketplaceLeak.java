package org.likeness.bench;

import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

import java.util.Random;

/**
 * What a marketplace seller does to each leaked photo, drawn at random per photo: crop up to 5 % (anywhere),
 * resize to 0.5–1.0, re-encode as JPEG at quality 50–90. Used by {@code bench trace}; renaming and shuffling are the
 * caller's.
 */
public final class MarketplaceLeak {
    public static final double MAX_CROP = 0.05;
    public static final double MIN_SCALE = 0.5;
    public static final int MIN_QUALITY = 50;
    public static final int MAX_QUALITY = 90;

    private MarketplaceLeak() {
    }

    /** The JPEG bytes of one marketplace copy of an 8-bit BGR photo. */
    public static byte[] copy(Mat bgr, Random random) {
        double cut = random.nextDouble() * MAX_CROP;
        int w = (int) Math.round(bgr.cols() * (1 - cut));
        int h = (int) Math.round(bgr.rows() * (1 - cut));
        int dx = (int) Math.round((bgr.cols() - w) * random.nextDouble());
        int dy = (int) Math.round((bgr.rows() - h) * random.nextDouble());
        Mat cropped = bgr.submat(new Rect(dx, dy, w, h));
        double scale = MIN_SCALE + (1 - MIN_SCALE) * random.nextDouble();
        Mat resized = new Mat();
        Imgproc.resize(cropped, resized, new Size(Math.max(1, Math.round(w * scale)), Math.max(1, Math.round(h * scale))), 0, 0,
                Imgproc.INTER_AREA);
        MatOfByte buf = new MatOfByte();
        MatOfInt q = new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, MIN_QUALITY + random.nextInt(MAX_QUALITY - MIN_QUALITY + 1));
        Imgcodecs.imencode(".jpg", resized, buf, q);
        byte[] out = buf.toArray();
        cropped.release();
        resized.release();
        buf.release();
        q.release();
        return out;
    }
}
