package org.likeness.image;

import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.imgcodecs.Imgcodecs;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Writes an 8-bit BGR image back in the format it was read in, so a redacted or released copy keeps its file names and
 * formats. Output carries no metadata (no EXIF, no GPS): the pixels are stored upright, as decoded.
 */
public final class ImageEncoder {
    /**
     * JPEG quality of re-encoded photos. 95 keeps re-encoding loss below what viewers notice (libjpeg's own guidance:
     * 95 is "very high quality", above it file size grows fast for no visible gain) and is deterministic, so a resumed
     * run writes the same bytes as an uninterrupted one.
     */
    public static final int JPEG_QUALITY = 95;
    /** WebP quality for lossy re-encoding, same reasoning as {@link #JPEG_QUALITY}. */
    public static final int WEBP_QUALITY = 95;

    private ImageEncoder() {
    }

    /** Whether {@link #encode} can write this format. */
    public static boolean canWrite(ImageFormat format) {
        return switch (format) {
            case JPEG, PNG, BMP, WEBP, TIFF, GIF -> true;
            default -> false;
        };
    }

    /**
     * @param name used in error messages only
     * @throws DecodeException (named after the file) when the format cannot be written
     */
    public static byte[] encode(String name, Mat bgr, ImageFormat format) throws DecodeException {
        return switch (format) {
            case JPEG -> openCv(name, bgr, ".jpg", new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, JPEG_QUALITY));
            case PNG -> openCv(name, bgr, ".png", new MatOfInt());
            case BMP -> openCv(name, bgr, ".bmp", new MatOfInt());
            case WEBP -> openCv(name, bgr, ".webp", new MatOfInt(Imgcodecs.IMWRITE_WEBP_QUALITY, WEBP_QUALITY));
            case TIFF -> openCv(name, bgr, ".tiff", new MatOfInt());
            case GIF -> gif(name, bgr);
            default -> throw new DecodeException(name, "cannot write " + format + " images");
        };
    }

    private static byte[] openCv(String name, Mat bgr, String ext, MatOfInt params) throws DecodeException {
        MatOfByte out = new MatOfByte();
        try {
            if (!Imgcodecs.imencode(ext, bgr, out, params)) {
                throw new DecodeException(name, "the " + ext + " encoder refused the image");
            }
            return out.toArray();
        } finally {
            out.release();
            params.release();
        }
    }

    private static byte[] gif(String name, Mat bgr) throws DecodeException {
        int w = bgr.cols();
        int h = bgr.rows();
        byte[] px = new byte[w * h * 3];
        bgr.get(0, 0, px);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int o = (y * w + x) * 3;
                img.setRGB(x, y, (px[o + 2] & 0xff) << 16 | (px[o + 1] & 0xff) << 8 | (px[o] & 0xff));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, "gif", out)) {
                throw new DecodeException(name, "no GIF writer available");
            }
        } catch (IOException e) {
            throw new DecodeException(name, "cannot write GIF: " + e.getMessage());
        }
        return out.toByteArray();
    }
}
