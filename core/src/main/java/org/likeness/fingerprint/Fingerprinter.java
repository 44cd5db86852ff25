package org.likeness.fingerprint;

import org.likeness.image.ImageFormat;
import org.likeness.image.NativeOpenCv;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.imgcodecs.Imgcodecs;

import java.util.List;

/**
 * Marks a recipient's copy of a photo: a keyed spread-spectrum pattern of ±1 signs on the low-to-mid band of the
 * full-frame DCT of luminance ({@link MarkSpace}), shaped by local activity, added equally to B, G and R (so luminance
 * changes and chroma does not). Stateless and thread-safe.
 */
public final class Fingerprinter {
    /**
     * JPEG quality of a released JPEG. Measured on lfw-dev (docs/DECISIONS.md): at 95 the re-encode costs less than the
     * mark itself and the released copy stays above 42 dB PSNR; lower qualities eat into the budget, higher ones only
     * grow the file.
     */
    public static final int RELEASE_JPEG_QUALITY = 95;
    /**
     * The visibility floor (docs/DECISIONS.md, fingerprint) for a released file, in dB of PSNR against the original. {@link #release} re-marks more
     * weakly when the encoded file falls below it (the JPEG re-encode adds its own error to the mark's).
     */
    public static final double MIN_RELEASE_PSNR = 42.0;
    /** Strength factor per retry of {@link #release}, and the number of retries. */
    private static final double RETRY_STRENGTH = 0.8;
    private static final int RETRIES = 3;

    private final MarkParameters params;

    public Fingerprinter() {
        this(MarkParameters.DEFAULT);
    }

    Fingerprinter(MarkParameters params) {
        NativeOpenCv.load();
        this.params = params;
    }

    /**
     * The recipient's marked copy of {@code originalBgr}: 8-bit BGR, same size; the input is left untouched.
     *
     * @param imageId the original's identity (e.g. its sha256), the same one the detector will be given
     * @throws FingerprintException when the photo is not 8-bit BGR or its shorter side is under 32 px
     */
    public Mat embed(Mat originalBgr, FingerprintKey key, String recipientId, String imageId) {
        return embed(originalBgr, key, recipientId, imageId, 1.0);
    }

    private Mat embed(Mat originalBgr, FingerprintKey key, String recipientId, String imageId, double strength) {
        MarkSpace space = MarkSpace.of(originalBgr, params);
        try {
            Mat mark = space.toFull(canvasMark(space, MarkPattern.signs(key, recipientId, imageId, space.band.length), strength));
            Mat mark3 = new Mat();
            Core.merge(List.of(mark, mark, mark), mark3);
            Mat sum = new Mat();
            originalBgr.convertTo(sum, CvType.CV_32FC3);
            Core.add(sum, mark3, sum);
            Mat out = new Mat();
            sum.convertTo(out, CvType.CV_8UC3); // rounds and saturates
            sum.release();
            mark3.release();
            mark.release();
            return out;
        } finally {
            space.release();
        }
    }

    /** The mark on the canvas: inverse DCT of the signs on the band, times the gain, scaled to the parameters' RMS. */
    private Mat canvasMark(MarkSpace space, float[] signs, double strength) {
        float[] coeffs = new float[space.canvasWidth * space.canvasHeight];
        for (int i = 0; i < signs.length; i++) {
            coeffs[space.band[i]] = signs[i];
        }
        Mat c = new Mat(space.canvasHeight, space.canvasWidth, CvType.CV_32F);
        c.put(0, 0, coeffs);
        Mat pattern = new Mat();
        Core.idct(c, pattern);
        Core.multiply(pattern, space.gain, pattern);
        double rms = Core.norm(pattern) / Math.sqrt(pattern.total());
        pattern.convertTo(pattern, CvType.CV_32F, strength * params.markRms() / rms);
        c.release();
        return pattern;
    }

    /**
     * A recipient's released file: {@link #embed}, then {@link #encodeRelease}; when the decoded file is below
     * {@link #MIN_RELEASE_PSNR} against the original, marked again at {@value #RETRY_STRENGTH}× the strength (at most
     * {@value #RETRIES} times; the last attempt is returned whatever its PSNR, which the result states).
     */
    public Release release(Mat originalBgr, ImageFormat originalFormat, FingerprintKey key, String recipientId, String imageId) {
        double strength = 1.0;
        for (int attempt = 0; ; attempt++) {
            Mat marked = embed(originalBgr, key, recipientId, imageId, strength);
            EncodedRelease encoded = encodeRelease(marked, originalFormat);
            marked.release();
            MatOfByte buf = new MatOfByte(encoded.bytes());
            Mat decoded = Imgcodecs.imdecode(buf, Imgcodecs.IMREAD_COLOR);
            double psnr = Core.PSNR(originalBgr, decoded, 255);
            decoded.release();
            buf.release();
            if (psnr >= MIN_RELEASE_PSNR || attempt == RETRIES) {
                return new Release(encoded, psnr, strength);
            }
            strength *= RETRY_STRENGTH;
        }
    }

    /**
     * @param psnr     of the decoded file against the original, dB
     * @param strength the mark's strength relative to the default (1, or less after retries)
     */
    public record Release(EncodedRelease file, double psnr, double strength) {
    }

    /** A released file's bytes and format. */
    public record EncodedRelease(ImageFormat format, byte[] bytes) {
        /** The file extension to write, with its dot. */
        public String extension() {
            return format == ImageFormat.JPEG ? ".jpg" : ".png";
        }
    }

    /**
     * Encodes a marked copy in the original's format: a JPEG original becomes a JPEG at {@link #RELEASE_JPEG_QUALITY};
     * every other format becomes a PNG (lossless, so the mark is kept exactly; GIF, BMP, TIFF, WebP, HEIC are not
     * re-created in kind — the caller should give the file a {@code .png} name, see {@link EncodedRelease#extension()}).
     */
    public static EncodedRelease encodeRelease(Mat markedBgr, ImageFormat originalFormat) {
        boolean jpeg = originalFormat == ImageFormat.JPEG;
        MatOfByte buf = new MatOfByte();
        MatOfInt opts = jpeg ? new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, RELEASE_JPEG_QUALITY)
                : new MatOfInt(Imgcodecs.IMWRITE_PNG_COMPRESSION, 3);
        try {
            if (!Imgcodecs.imencode(jpeg ? ".jpg" : ".png", markedBgr, buf, opts)) {
                throw new FingerprintException("OpenCV could not encode a " + markedBgr.cols() + "×" + markedBgr.rows() + " image as " + (jpeg ? "JPEG" : "PNG"));
            }
            return new EncodedRelease(jpeg ? ImageFormat.JPEG : ImageFormat.PNG, buf.toArray());
        } finally {
            buf.release();
            opts.release();
        }
    }
}
