package org.likeness.eval;

import org.likeness.fingerprint.FingerprintDetector;
import org.likeness.fingerprint.FingerprintKey;
import org.likeness.fingerprint.Fingerprinter;
import org.likeness.fingerprint.MarkPattern;
import org.likeness.fingerprint.Visibility;

import org.likeness.image.ImageFormat;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Rect;
import org.opencv.imgcodecs.Imgcodecs;

import java.util.List;

/**
 * One photo of the leak evaluation ({@code eval fingerprint --leakers}): the photo is released, as {@code release} would,
 * to the first {@link #MAX_COALITION} recipients of a coalition order; the first recipient's copy goes through every
 * {@link LeakerCopy} (and two {@link MarketplaceCopy} baselines), and coalitions of the first c recipients combine their
 * copies ({@link Attack}). Every suspect is scored against all K recipients, so the statistics of the recipients whose
 * mark is absent are kept for the false-accusation count, and per-photo statistics can be summed over a dataset. The
 * recipients' sign patterns are generated once per photo and reused by every suspect. Thread-safe.
 */
public final class LeakEvaluation {
    /** Coalition sizes measured (out of K recipients). */
    public static final int[] COALITION_SIZES = {2, 3, 4, 8, 16};
    public static final int MAX_COALITION = 16;
    /** The marketplace copies kept as baselines next to the leaker copies (the single-recipient results must not get worse). */
    public static final List<MarketplaceCopy> BASELINES = List.of(MarketplaceCopy.RELEASED, MarketplaceCopy.JPEG_50_RESIZE_0_5_CROP_5_CORNER);

    /** How a coalition combines its members' copies of one photo. */
    public enum Attack {
        /** pixel-wise mean of all members' copies */
        AVERAGE,
        /** pixel-wise minimum */
        MIN,
        /** pixel-wise maximum */
        MAX,
        /** (min + max) / 2 pixel-wise */
        MIN_MAX_MIDPOINT,
        /** the frame cut into min(c, 4) regions (vertical strips; 4 = quadrants), each from another member */
        COLLAGE,
        /** whole photos: the dataset's photo i is member (i mod c)'s copy, untouched */
        INTERLEAVE
    }

    /**
     * @param minPsnr  lowest PSNR of the member releases against the original (dB)
     * @param single   per suspect (baselines first, then every LeakerCopy): the K statistics, or null when it did not align
     * @param attacks  [attack][size index][K], null entries when the suspect did not align
     */
    public record PhotoResult(double minPsnr, float[][] single, float[][][] attacks) {
    }

    private final Fingerprinter fingerprinter = new Fingerprinter();
    private final FingerprintDetector detector = new FingerprintDetector();
    private final FingerprintKey key;
    private final List<String> recipients;

    public LeakEvaluation(FingerprintKey key, List<String> recipients) {
        this.key = key;
        this.recipients = List.copyOf(recipients);
    }

    public int suspects() {
        return BASELINES.size() + LeakerCopy.values().length;
    }

    /**
     * @param members   indexes into the recipients, the coalition order (member 0 is the single recipient); at least
     *                  {@link #MAX_COALITION}
     * @param photoIndex the photo's place in its dataset (which member an interleaving coalition uses)
     */
    public PhotoResult measure(Mat original, ImageFormat format, String imageId, int[] members, int photoIndex) {
        Mat[] released = new Mat[MAX_COALITION];
        double minPsnr = Double.POSITIVE_INFINITY;
        for (int j = 0; j < MAX_COALITION; j++) {
            Fingerprinter.Release r = fingerprinter.release(original, format, key, recipients.get(members[j]), imageId);
            released[j] = decode(r.file().bytes());
            minPsnr = Math.min(minPsnr, Visibility.psnr(original, released[j]));
        }
        float[][] signs = new float[recipients.size()][];
        float[][] single = new float[suspects()][];
        int s = 0;
        for (MarketplaceCopy c : BASELINES) {
            single[s++] = score(original, c.apply(released[0]), imageId, signs);
        }
        for (LeakerCopy c : LeakerCopy.values()) {
            single[s++] = score(original, c.apply(released[0]), imageId, signs);
        }
        float[][][] attacks = new float[Attack.values().length][COALITION_SIZES.length][];
        for (Attack a : Attack.values()) {
            for (int k = 0; k < COALITION_SIZES.length; k++) {
                int c = COALITION_SIZES[k];
                Mat suspect = a == Attack.INTERLEAVE ? released[photoIndex % c].clone() : combine(a, released, c);
                attacks[a.ordinal()][k] = score(original, suspect, imageId, signs);
            }
        }
        for (Mat m : released) {
            m.release();
        }
        return new PhotoResult(minPsnr, single, attacks);
    }

    /** Every recipient's statistic on a suspect (released here), or null when it did not align. */
    private float[] score(Mat original, Mat suspect, String imageId, float[][] signs) {
        try {
            FingerprintDetector.Evidence e = detector.measure(original, suspect);
            if (e.residual() == null) {
                return null;
            }
            float[] r = e.residual();
            double energy = 0;
            for (float x : r) {
                energy += (double) x * x;
            }
            float[] z = new float[recipients.size()];
            if (energy == 0) {
                return z;
            }
            double norm = Math.sqrt(energy);
            for (int k = 0; k < z.length; k++) {
                if (signs[k] == null || signs[k].length != r.length) {
                    signs[k] = MarkPattern.signs(key, recipients.get(k), imageId, r.length);
                }
                double dot = 0;
                float[] w = signs[k];
                for (int i = 0; i < r.length; i++) {
                    dot += w[i] * r[i];
                }
                z[k] = (float) (dot / norm);
            }
            return z;
        } finally {
            suspect.release();
        }
    }

    static Mat combine(Attack a, Mat[] copies, int c) {
        if (a == Attack.COLLAGE) {
            return collage(copies, Math.min(c, 4));
        }
        Mat acc = new Mat();
        copies[0].convertTo(acc, CvType.CV_32FC3);
        Mat lo = acc.clone(), hi = acc.clone(), f = new Mat();
        for (int j = 1; j < c; j++) {
            copies[j].convertTo(f, CvType.CV_32FC3);
            Core.add(acc, f, acc);
            Core.min(lo, f, lo);
            Core.max(hi, f, hi);
        }
        Mat result = switch (a) {
            case AVERAGE -> {
                Core.multiply(acc, new org.opencv.core.Scalar(1.0 / c, 1.0 / c, 1.0 / c), acc);
                yield acc;
            }
            case MIN -> lo;
            case MAX -> hi;
            case MIN_MAX_MIDPOINT -> {
                Core.add(lo, hi, f);
                Core.multiply(f, new org.opencv.core.Scalar(0.5, 0.5, 0.5), f);
                yield f;
            }
            default -> throw new IllegalArgumentException(a.name());
        };
        Mat out = new Mat();
        result.convertTo(out, CvType.CV_8UC3); // rounds and saturates
        for (Mat m : new Mat[] {acc, lo, hi, f}) {
            m.release();
        }
        return out;
    }

    /** Two regions: left/right halves; three: vertical thirds; four: quadrants. */
    private static Mat collage(Mat[] copies, int regions) {
        Mat out = copies[0].clone();
        int w = out.cols(), h = out.rows();
        if (regions == 4) {
            int hw = w / 2, hh = h / 2;
            Rect[] q = {new Rect(hw, 0, w - hw, hh), new Rect(0, hh, hw, h - hh), new Rect(hw, hh, w - hw, h - hh)};
            for (int j = 0; j < 3; j++) {
                copies[j + 1].submat(q[j]).copyTo(out.submat(q[j]));
            }
            return out;
        }
        for (int j = 1; j < regions; j++) {
            int x0 = w * j / regions, x1 = w * (j + 1) / regions;
            Rect r = new Rect(x0, 0, x1 - x0, h);
            copies[j].submat(r).copyTo(out.submat(r));
        }
        return out;
    }

    private static Mat decode(byte[] bytes) {
        MatOfByte buf = new MatOfByte(bytes);
        Mat m = Imgcodecs.imdecode(buf, Imgcodecs.IMREAD_COLOR);
        buf.release();
        return m;
    }
}
