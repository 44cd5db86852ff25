package org.likeness.eval;

import org.likeness.face.Box;
import org.likeness.face.Embedding;
import org.likeness.face.Face;
import org.likeness.face.FacePipeline;
import org.likeness.redact.Anonymiser;
import org.likeness.redact.RedactMode;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

import java.util.List;
import java.util.SplittableRandom;

/**
 * How much identity survives a redaction, measured with our own embedder against three attackers:
 * <ul>
 *   <li>{@code detected}: runs the pipeline on the redacted photo; the best similarity of any face it finds;</li>
 *   <li>{@code known_position}: knows where the face was (its original landmarks) and embeds whatever is there;</li>
 *   <li>{@code deblurred}: as known_position after undoing the redaction as far as a published method allows —
 *       Richardson–Lucy deconvolution with the exact Gaussian we used for blur, bicubic smoothing of the blocks for
 *       pixelate (the classic "depixelation"); nothing for mask.</li>
 * </ul>
 */
public final class RedactionEval {
    /** Richardson–Lucy iterations: the usual range is 10–30; more amplifies the added noise without new detail. */
    static final int DEBLUR_ITERATIONS = 20;

    /** Similarities of one redacted face to its original embedding under each attacker (−1: nothing detected). */
    public record Attack(double detected, double knownPosition, double deblurred) {
    }

    private final FacePipeline pipeline;

    public RedactionEval(FacePipeline pipeline) {
        this.pipeline = pipeline;
    }

    public Attack attack(Mat bgr, Face original, RedactMode mode, Anonymiser.Strength strength, long seed) {
        Mat copy = bgr.clone();
        try {
            Rect r = Anonymiser.apply(copy, original.box(), mode, new SplittableRandom(seed), strength);
            Embedding e0 = original.embedding();
            double detected = -1;
            for (Face f : pipeline.faces(copy)) {
                detected = Math.max(detected, f.embedding().similarity(e0));
            }
            double known = pipeline.embedAt(copy, original.landmarks()).similarity(e0);
            double deblurred = known;
            if (mode != RedactMode.MASK && r.width > 1 && r.height > 1) {
                undo(copy, r, original.box(), mode, strength);
                deblurred = pipeline.embedAt(copy, original.landmarks()).similarity(e0);
            }
            return new Attack(detected, known, deblurred);
        } finally {
            copy.release();
        }
    }

    /** The attacker's best published inverse of the redaction, in place on the region. */
    static void undo(Mat bgr, Rect r, Box face, RedactMode mode, Anonymiser.Strength strength) {
        Mat roi = bgr.submat(r);
        try {
            double faceSide = Math.max(1, Math.max(face.w(), face.h()));
            if (mode == RedactMode.PIXELATE) {
                int block = Math.max(1, (int) Math.ceil(faceSide / strength.pixelBlocksPerFace()));
                Mat small = new Mat();
                Mat back = new Mat();
                Imgproc.resize(roi, small, new Size(Math.max(1, (roi.cols() + block - 1) / block), Math.max(1, (roi.rows() + block - 1) / block)),
                        0, 0, Imgproc.INTER_AREA);
                Imgproc.resize(small, back, new Size(roi.cols(), roi.rows()), 0, 0, Imgproc.INTER_CUBIC);
                back.copyTo(roi);
                small.release();
                back.release();
            } else {
                richardsonLucy(roi, strength.blurSigmaFraction() * faceSide);
            }
        } finally {
            roi.release();
        }
    }

    /** Deconvolves a Gaussian of the given sigma (pixels) from an 8-bit BGR region, in place. */
    static void richardsonLucy(Mat roi, double sigma) {
        Mat obs = new Mat();
        roi.convertTo(obs, CvType.CV_32FC3, 1 / 255.0, 1e-3);
        Mat est = obs.clone();
        Mat blurred = new Mat();
        Mat ratio = new Mat();
        Size k = new Size(0, 0);
        for (int i = 0; i < DEBLUR_ITERATIONS; i++) {
            Imgproc.GaussianBlur(est, blurred, k, sigma, sigma, Core.BORDER_REFLECT);
            Core.max(blurred, new Scalar(1e-4, 1e-4, 1e-4), blurred);
            Core.divide(obs, blurred, ratio);
            Imgproc.GaussianBlur(ratio, ratio, k, sigma, sigma, Core.BORDER_REFLECT);
            Core.multiply(est, ratio, est);
        }
        est.convertTo(roi, CvType.CV_8UC3, 255.0);
        List.of(obs, est, blurred, ratio).forEach(Mat::release);
    }
}
