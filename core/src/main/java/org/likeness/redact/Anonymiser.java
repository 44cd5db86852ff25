package org.likeness.redact;

import org.likeness.face.Box;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

import java.util.SplittableRandom;

/**
 * Irreversibly anonymises one face region of an 8-bit BGR image in place. The region is the detector's box grown by
 * {@link #REGION_MARGIN} on every side (hair, ears and chin identify people too). Every kernel is relative to the face's
 * size, so a 40-pixel face and a 2,000-pixel face lose the same amount of identity, and noise is added after the blur
 * or pixelation so that deconvolution ("deblurring") has nothing exact to invert. Chosen by measurement:
 * {@code likeness eval redaction} (docs/BENCHMARKS.md, "Redaction").
 */
public final class Anonymiser {
    /** Growth of the face box on each side, as a fraction of its size: UltraFace boxes end at the brow and the chin. */
    public static final double REGION_MARGIN = 0.25;
    /**
     * Blur: Gaussian sigma as a fraction of the face box's larger side. 0.2 puts the blur's half-width (2σ) at 40 % of
     * the face: eyes, nose and mouth merge into one blob. Smaller values were measured and rejected (BENCHMARKS).
     */
    public static final double BLUR_SIGMA_FRACTION = 0.2;
    /** Pixelate: blocks across the face box's larger side (BENCHMARKS: re-identification vs block count). */
    public static final int PIXEL_BLOCKS_PER_FACE = 6;
    /** Standard deviation, in 8-bit levels, of the Gaussian noise added after blur or per block after pixelation. */
    public static final double NOISE_SIGMA = 12;
    /** Faces are blurred at this working size (pixels across the face) and scaled back: same result, bounded cost. */
    static final int WORK_FACE_PIXELS = 32;
    private static final Scalar MASK_GREY = new Scalar(128, 128, 128);

    /**
     * The knobs of {@link #apply}; {@link #DEFAULT} is what redact uses, the others exist so that
     * {@code likeness eval redaction --sweep} can show why the default is not weaker.
     */
    public record Strength(double blurSigmaFraction, int pixelBlocksPerFace, double noiseSigma) {
        public static final Strength DEFAULT = new Strength(BLUR_SIGMA_FRACTION, PIXEL_BLOCKS_PER_FACE, NOISE_SIGMA);

        public Strength {
            if (!(blurSigmaFraction > 0) || pixelBlocksPerFace < 1 || !(noiseSigma >= 0)) {
                throw new IllegalArgumentException("invalid strength " + blurSigmaFraction + "/" + pixelBlocksPerFace + "/" + noiseSigma);
            }
        }
    }

    private Anonymiser() {
    }

    /** The pixels {@link #apply} changes for a face box, clipped to the image; empty when the box is outside it. */
    public static Rect region(Box box, int width, int height) {
        double mx = box.w() * REGION_MARGIN;
        double my = box.h() * REGION_MARGIN;
        int x0 = (int) Math.max(0, Math.floor(box.x() - mx));
        int y0 = (int) Math.max(0, Math.floor(box.y() - my));
        int x1 = (int) Math.min(width, Math.ceil(box.x() + box.w() + mx));
        int y1 = (int) Math.min(height, Math.ceil(box.y() + box.h() + my));
        return new Rect(x0, y0, Math.max(0, x1 - x0), Math.max(0, y1 - y0));
    }

    /**
     * @param random noise source; seed it from the image so that a resumed run writes the same bytes
     * @return the rectangle changed (may be empty)
     */
    public static Rect apply(Mat bgr, Box box, RedactMode mode, SplittableRandom random) {
        return apply(bgr, box, mode, random, Strength.DEFAULT);
    }

    /** As {@link #apply(Mat, Box, RedactMode, SplittableRandom)} with other knobs (measurement only). */
    public static Rect apply(Mat bgr, Box box, RedactMode mode, SplittableRandom random, Strength strength) {
        if (mode == RedactMode.DROP) {
            throw new IllegalArgumentException("drop leaves the image out; there is no region to anonymise");
        }
        Rect r = region(box, bgr.cols(), bgr.rows());
        if (r.width < 1 || r.height < 1) {
            return r;
        }
        Mat roi = bgr.submat(r);
        try {
            double faceSide = Math.max(1, Math.max(box.w(), box.h()));
            switch (mode) {
                case BLUR -> blur(roi, faceSide, random, strength);
                case PIXELATE -> pixelate(roi, faceSide, random, strength);
                case MASK -> roi.setTo(MASK_GREY);
                default -> throw new IllegalStateException(mode.toString());
            }
        } finally {
            roi.release();
        }
        return r;
    }

    private static void blur(Mat roi, double faceSide, SplittableRandom random, Strength strength) {
        double scale = Math.min(1.0, WORK_FACE_PIXELS / faceSide);
        int sw = Math.max(1, (int) Math.round(roi.cols() * scale));
        int sh = Math.max(1, (int) Math.round(roi.rows() * scale));
        Mat small = new Mat();
        Mat back = new Mat();
        try {
            Imgproc.resize(roi, small, new Size(sw, sh), 0, 0, Imgproc.INTER_AREA);
            double sigma = strength.blurSigmaFraction() * faceSide * scale;
            Imgproc.GaussianBlur(small, small, new Size(0, 0), sigma, sigma, Core.BORDER_REFLECT);
            Imgproc.resize(small, back, new Size(roi.cols(), roi.rows()), 0, 0, Imgproc.INTER_LINEAR);
            addNoise(back, random, strength.noiseSigma());
            back.copyTo(roi);
        } finally {
            small.release();
            back.release();
        }
    }

    private static void pixelate(Mat roi, double faceSide, SplittableRandom random, Strength strength) {
        int block = Math.max(1, (int) Math.ceil(faceSide / strength.pixelBlocksPerFace()));
        int bw = Math.max(1, (roi.cols() + block - 1) / block);
        int bh = Math.max(1, (roi.rows() + block - 1) / block);
        Mat small = new Mat();
        Mat back = new Mat();
        try {
            Imgproc.resize(roi, small, new Size(bw, bh), 0, 0, Imgproc.INTER_AREA);
            addNoise(small, random, strength.noiseSigma());
            Imgproc.resize(small, back, new Size(roi.cols(), roi.rows()), 0, 0, Imgproc.INTER_NEAREST);
            back.copyTo(roi);
        } finally {
            small.release();
            back.release();
        }
    }

    /** Adds N(0, sigma²) to every channel of every pixel, saturating. */
    private static void addNoise(Mat img, SplittableRandom random, double sigma) {
        if (sigma == 0) {
            return;
        }
        int n = (int) (img.total() * img.channels());
        byte[] px = new byte[n];
        Mat cont = img.isContinuous() ? img : img.clone();
        cont.get(0, 0, px);
        for (int i = 0; i < n; i++) {
            double v = (px[i] & 0xff) + sigma * gaussian(random);
            px[i] = (byte) Math.max(0, Math.min(255, (int) Math.round(v)));
        }
        img.put(0, 0, px);
        if (cont != img) {
            cont.release();
        }
    }

    private static double gaussian(SplittableRandom r) {
        // Box–Muller; SplittableRandom has no nextGaussian in Java 17
        double u = 1.0 - r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    /** A noise source seeded by the image's content and the face's position in it. */
    public static SplittableRandom randomFor(String sha256, int faceIndex) {
        long seed = Long.parseUnsignedLong(sha256.substring(0, 15), 16) * 31 + faceIndex;
        return new SplittableRandom(seed);
    }

}
