package org.likeness.image;

import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;

/**
 * Decodes one file's bytes into an oriented BGR image with OpenCV (EXIF orientation applied),
 * refusing unsafe or unsupported input with a one-line reason before any pixel is decoded.
 * Thread-safe and stateless apart from its limits.
 */
public final class ImageDecoder {
    /**
     * Pixel budget checked on the header before decoding. 100 MP is twice the largest phone sensors in
     * common use (12–50 MP) and decodes to 300 MB of BGR; anything larger is treated as a decompression bomb.
     */
    public static final long DEFAULT_MAX_PIXELS = 100_000_000L;
    /** Files above this size are refused unread: 256 MB is ten times the largest photo in ../shared/data. */
    public static final long MAX_FILE_BYTES = 256L * 1024 * 1024;

    private final long maxPixels;

    public ImageDecoder() {
        this(DEFAULT_MAX_PIXELS);
    }

    public ImageDecoder(long maxPixels) {
        this.maxPixels = maxPixels;
        NativeOpenCv.load();
    }

    /**
     * Everything {@link #decode} checks before decoding (size, header, pixel budget, a second picture hidden in the
     * file), without decoding: whether a file may be passed on unchanged as the picture an audit looked at.
     */
    public ImageHeader inspect(String name, byte[] bytes) throws DecodeException {
        if (bytes.length == 0) {
            throw new DecodeException(name, "empty file (0 bytes)");
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw new DecodeException(name, "file of " + bytes.length + " bytes exceeds the " + MAX_FILE_BYTES + "-byte limit");
        }
        ImageHeader header = ImageHeader.read(name, bytes);
        ContainerCheck.check(name, header.format(), bytes); // a second picture in the file: refused, never half-scanned
        if (header.pixels() > maxPixels) {
            throw new DecodeException(name, "image of " + header.width() + "x" + header.height() + " pixels exceeds the pixel budget of "
                    + maxPixels + " (possible decompression bomb); refused before decoding");
        }
        return header;
    }

    /**
     * @param name  the file or entry name, used in error messages only
     * @param bytes the whole file
     */
    public DecodedImage decode(String name, byte[] bytes) throws DecodeException {
        ImageHeader header = inspect(name, bytes);
        Mat bgr = header.format() == ImageFormat.GIF ? decodeGif(name, bytes) : decodeWithOpenCv(bytes);
        if (bgr == null || bgr.empty()) {
            throw new DecodeException(name, "corrupt or truncated " + header.format() + " data (the decoder returned no pixels)");
        }
        if (bgr.cols() != header.width() && bgr.cols() != header.height()) {
            bgr.release();
            throw new DecodeException(name, "decoded size " + bgr.cols() + "x" + bgr.rows() + " does not match the header's "
                    + header.width() + "x" + header.height());
        }
        return new DecodedImage(name, header.format(), bgr);
    }

    private static Mat decodeWithOpenCv(byte[] bytes) {
        MatOfByte buf = new MatOfByte(bytes);
        try {
            // IMREAD_COLOR: 8-bit BGR whatever the source depth or channels, EXIF orientation applied.
            return Imgcodecs.imdecode(buf, Imgcodecs.IMREAD_COLOR);
        } finally {
            buf.release();
        }
    }

    /** OpenCV 4.9 has no GIF codec: read single-frame GIFs with the JDK, refuse animations. */
    private static Mat decodeGif(String name, byte[] bytes) throws DecodeException {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new DecodeException(name, "no GIF reader available");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, false, true);
                int frames = reader.getNumImages(true);
                if (frames > 1) {
                    throw new DecodeException(name, "animated GIF with " + frames
                            + " frames is not scanned (faces may be in any frame); extract the frames as still images");
                }
                return toBgr(reader.read(0));
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw new DecodeException(name, "corrupt or truncated GIF: " + (e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage()));
        }
    }

    private static Mat toBgr(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] px = new byte[w * h * 3];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int p = row[x];
                int o = (y * w + x) * 3;
                px[o] = (byte) p;
                px[o + 1] = (byte) (p >> 8);
                px[o + 2] = (byte) (p >> 16);
            }
        }
        Mat m = new Mat(h, w, CvType.CV_8UC3);
        m.put(0, 0, px);
        return m;
    }
}
