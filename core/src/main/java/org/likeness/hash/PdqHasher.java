package org.likeness.hash;

import java.util.ArrayList;
import java.util.List;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

/**
 * Meta's PDQ perceptual hash, following the reference C++ ({@code pdq/cpp} in facebook/ThreatExchange) step by step:
 * <ol>
 *   <li>the reference photo hasher's pre-scale: an image wider or taller than {@link #REFERENCE_PRESCALE_SIDE} is
 *       first resized to exactly 512×512 by nearest neighbour (CImg {@code resize(512,512)} in {@code io/pdqio.cpp});</li>
 *   <li>RGB → luminance Y = 0.299 R + 0.587 G + 0.114 B in float;</li>
 *   <li>Jarosz tent filter (2 box passes per axis, window ⌈side/128⌉) and decimation to 64×64;</li>
 *   <li>quality from the 64×64 image's gradients;</li>
 *   <li>16×16 DCT (coefficients 1..16 per axis) and a threshold at the median → 256 bits.</li>
 * </ol>
 * Dihedral variants (rotations, flips) come from the one DCT by sign flips and transposition, not by re-hashing.
 *
 * <p>An instance reuses its work buffers: it is cheap to create and <b>not thread-safe</b>; use one per thread.
 */
public final class PdqHasher {

    /** Reference photo hasher's intermediate size ({@code DOWNSAMPLE_DIMS = 512} in {@code pdq/cpp/io/pdqio.cpp}). */
    public static final int REFERENCE_PRESCALE_SIDE = 512;
    /** Smaller images get an all-zero hash and quality 0 (reference {@code MIN_HASHABLE_DIM = 5}). */
    public static final int MIN_HASHABLE_SIDE = 5;
    /** Luminance coefficients of the reference ({@code luma_from_R_coeff} etc., "from Wikipedia", BT.601). */
    static final float LUMA_R = 0.299f;
    static final float LUMA_G = 0.587f;
    static final float LUMA_B = 0.114f;

    /** The products {@code LUMA_R * v} etc. for v = 0..255: the same floats the reference computes, looked up. */
    private static final float[] RED = products(LUMA_R);
    private static final float[] GREEN = products(LUMA_G);
    private static final float[] BLUE = products(LUMA_B);
    private static final int SIDE = PdqDct.IMAGE_SIDE;
    private static final int DCT_CELLS = PdqDct.DCT_SIDE * PdqDct.DCT_SIDE;

    private byte[] pixels = new byte[0];
    private float[] buffer1 = new float[0];
    private float[] buffer2 = new float[0];
    private final float[] image64 = new float[SIDE * SIDE];
    private final float[] dct16x64 = new float[PdqDct.DCT_SIDE * SIDE];
    private final float[] dct16 = new float[DCT_CELLS];
    private final float[] variant16 = new float[DCT_CELLS];
    private final float[] sortScratch = new float[DCT_CELLS];

    /** Hash of a decoded image: 8-bit BGR ({@code CV_8UC3}), BGRA ({@code CV_8UC4}, alpha ignored) or grey. */
    public PdqResult hash(Mat image) {
        int quality = lumaFromMat(image);
        return new PdqResult(PdqDct.toHash(dct16, sortScratch), quality);
    }

    /** Hash of packed 8-bit RGB pixels, row-major, {@code 3 * width * height} bytes. */
    public PdqResult hashRgb(byte[] rgb, int width, int height) {
        checkSize(rgb.length, 3, width, height, "RGB");
        int quality = hashPixels(new PixelSource(rgb, 3, 0, 1, 2), width, height);
        return new PdqResult(PdqDct.toHash(dct16, sortScratch), quality);
    }

    /** Hash of 8-bit grey pixels, row-major, {@code width * height} bytes (luminance = grey value). */
    public PdqResult hashGrey(byte[] grey, int width, int height) {
        checkSize(grey.length, 1, width, height, "grey");
        int quality = hashPixels(new PixelSource(grey, 1, 0, 0, 0), width, height);
        return new PdqResult(PdqDct.toHash(dct16, sortScratch), quality);
    }

    /** Hash of a float luminance image (0..255 scale), row-major; no pre-scale is applied. */
    public PdqResult hashLuma(float[] luma, int width, int height) {
        checkSize(luma.length, 1, width, height, "luminance");
        ensureBuffers(height, width);
        System.arraycopy(luma, 0, buffer1, 0, width * height);
        int quality = hashLumaBuffer(height, width);
        return new PdqResult(PdqDct.toHash(dct16, sortScratch), quality);
    }

    /** The eight dihedral hashes of a decoded image, in {@link PdqDihedral} order (first is the plain hash). */
    public List<PdqHash> dihedral(Mat image) {
        lumaFromMat(image);
        return dihedralHashes();
    }

    /** The eight dihedral hashes of packed RGB pixels, in {@link PdqDihedral} order. */
    public List<PdqHash> dihedralRgb(byte[] rgb, int width, int height) {
        checkSize(rgb.length, 3, width, height, "RGB");
        hashPixels(new PixelSource(rgb, 3, 0, 1, 2), width, height);
        return dihedralHashes();
    }

    private List<PdqHash> dihedralHashes() {
        List<PdqHash> hashes = new ArrayList<>(PdqDihedral.values().length);
        for (PdqDihedral d : PdqDihedral.values()) {
            PdqDct.dihedral(dct16, d, variant16);
            hashes.add(PdqDct.toHash(variant16, sortScratch));
        }
        return List.copyOf(hashes);
    }

    private int lumaFromMat(Mat image) {
        if (image == null || image.empty()) {
            throw new IllegalArgumentException("cannot hash an empty image");
        }
        int type = image.type();
        PixelSource source;
        Mat continuous = image.isContinuous() ? image : image.clone();
        int bytes = (int) (continuous.total() * continuous.channels());
        if (pixels.length != bytes) {
            pixels = new byte[bytes];
        }
        byte[] data = pixels;
        continuous.get(0, 0, data);
        if (type == CvType.CV_8UC3) {
            source = new PixelSource(data, 3, 2, 1, 0);
        } else if (type == CvType.CV_8UC4) {
            source = new PixelSource(data, 4, 2, 1, 0);
        } else if (type == CvType.CV_8UC1) {
            source = new PixelSource(data, 1, 0, 0, 0);
        } else {
            throw new IllegalArgumentException("cannot hash image of type " + CvType.typeToString(type)
                    + ": expected 8-bit BGR (CV_8UC3), BGRA (CV_8UC4) or grey (CV_8UC1)");
        }
        return hashPixels(source, image.cols(), image.rows());
    }

    /** Pre-scales as the reference photo hasher does, converts to luminance, and hashes; returns quality. */
    private int hashPixels(PixelSource src, int width, int height) {
        boolean prescale = width > REFERENCE_PRESCALE_SIDE || height > REFERENCE_PRESCALE_SIDE;
        int cols = prescale ? REFERENCE_PRESCALE_SIDE : width;
        int rows = prescale ? REFERENCE_PRESCALE_SIDE : height;
        ensureBuffers(rows, cols);
        float[] luma = buffer1;
        byte[] p = src.data;
        int ch = src.channels;
        if (!prescale && ch == 1) {
            for (int k = 0; k < rows * cols; k++) {
                luma[k] = p[k] & 0xff;
            }
        } else if (!prescale) {
            int r = src.r;
            int g = src.g;
            int b = src.b;
            int n = rows * cols;
            if (ch == 3 && r == 2 && g == 1 && b == 0) { // BGR, OpenCV's order: constant offsets, fewer checks
                for (int k = 0, q = 0; k < n; k++, q += 3) {
                    luma[k] = RED[p[q + 2] & 0xff] + GREEN[p[q + 1] & 0xff] + BLUE[p[q] & 0xff];
                }
            } else {
                for (int k = 0, q = 0; k < n; k++, q += ch) {
                    luma[k] = RED[p[q + r] & 0xff] + GREEN[p[q + g] & 0xff] + BLUE[p[q + b] & 0xff];
                }
            }
        } else {
            int[] srcCol = nearestIndices(width, cols);
            for (int i = 0; i < rows; i++) {
                long rowBase = (long) nearestIndex(i, height, rows) * width;
                for (int j = 0; j < cols; j++) {
                    int q = (int) ((rowBase + srcCol[j]) * ch);
                    luma[i * cols + j] = ch == 1 ? p[q] & 0xff
                            : LUMA_R * (p[q + src.r] & 0xff) + LUMA_G * (p[q + src.g] & 0xff)
                                    + LUMA_B * (p[q + src.b] & 0xff);
                }
            }
        }
        return hashLumaBuffer(rows, cols);
    }

    private static float[] products(float coefficient) {
        float[] table = new float[256];
        for (int v = 0; v < 256; v++) {
            table[v] = coefficient * v;
        }
        return table;
    }

    /** CImg nearest-neighbour resize: output index k reads input index ⌊k · old / new⌋. */
    private static int nearestIndex(int k, int oldSide, int newSide) {
        return (int) ((long) k * oldSide / newSide);
    }

    private static int[] nearestIndices(int oldSide, int newSide) {
        int[] idx = new int[newSide];
        for (int k = 0; k < newSide; k++) {
            idx[k] = nearestIndex(k, oldSide, newSide);
        }
        return idx;
    }

    /** Hashes the luminance in buffer1 into dct16; returns quality. */
    private int hashLumaBuffer(int rows, int cols) {
        if (rows < MIN_HASHABLE_SIDE || cols < MIN_HASHABLE_SIDE) {
            java.util.Arrays.fill(dct16, 0f);
            return 0;
        }
        if (rows == SIDE && cols == SIDE) {
            System.arraycopy(buffer1, 0, image64, 0, SIDE * SIDE); // already 64×64: no filter (reference)
        } else {
            JaroszDownscaler.downscale(buffer1, buffer2, rows, cols, image64, SIDE, SIDE);
        }
        int quality = PdqDct.quality(image64);
        PdqDct.dct64To16(image64, dct16x64, dct16);
        return quality;
    }

    /**
     * Grows the work buffers for a {@code rows × cols} image to what the filter needs: it writes its intermediate
     * {@code rows × 64} columns into them, more than the image itself when it is narrower than 64.
     */
    private void ensureBuffers(int rows, int cols) {
        int pixels = JaroszDownscaler.workSize(rows, cols, SIDE);
        if (buffer1.length < pixels) {
            buffer1 = new float[pixels];
            buffer2 = new float[pixels];
        }
    }

    private static void checkSize(int length, int channels, int width, int height, String what) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "×" + height);
        }
        long expected = (long) width * height * channels;
        if (length != expected) {
            throw new IllegalArgumentException(what + " buffer for a " + width + "×" + height + " image must hold "
                    + expected + " values, got " + length);
        }
    }

    /** Interleaved 8-bit pixels and where R, G and B sit within a pixel. */
    private record PixelSource(byte[] data, int channels, int r, int g, int b) {
    }
}
