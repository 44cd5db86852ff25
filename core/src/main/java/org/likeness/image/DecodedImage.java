package org.likeness.image;

import org.opencv.core.Mat;

/**
 * An oriented 8-bit, 3-channel BGR image (OpenCV's order) that owns its native pixel buffer.
 *
 * @param name   the file or archive entry it came from
 * @param format the sniffed format
 * @param bgr    the pixels; released by {@link #close()}
 */
public record DecodedImage(String name, ImageFormat format, Mat bgr) implements AutoCloseable {
    public DecodedImage {
        if (bgr == null || bgr.empty() || bgr.channels() != 3) {
            throw new IllegalArgumentException(name + ": a decoded image must be a non-empty 3-channel Mat");
        }
    }

    public int width() {
        return bgr.cols();
    }

    public int height() {
        return bgr.rows();
    }

    @Override
    public void close() {
        bgr.release();
    }
}
