package org.likeness.audit;

import org.likeness.face.Box;
import org.likeness.image.DecodeException;
import org.likeness.image.DecodedImage;
import org.likeness.image.ImageDecoder;
import org.likeness.scan.DatasetEntry;
import org.likeness.scan.DatasetReader;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

import java.io.IOException;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Face thumbnails for the report, re-read from the dataset (the scan keeps no pixels). Blurred by default with a
 * Gaussian of σ = {@link #BLUR_SIGMA_FRACTION} × the thumbnail side: at 72 px that leaves a skin-coloured blob in which
 * no one can be recognised, enough to see "a face is here".
 */
public final class Thumbnailer {
    static final int SIDE = 72;
    /** σ of 1/6 of the side: features (eyes ≈ 1/8 of the side apart from the nose) merge into one blob. */
    static final double BLUR_SIGMA_FRACTION = 1.0 / 6;
    /** The blur runs on a thumbnail this many times smaller (12 px), which costs 1/36 of blurring at full size. */
    static final int BLUR_SCALE = 6;
    /** Margin around the detector box, as a fraction of its size. */
    static final float MARGIN = 0.2f;

    /** Files decoded together: enough to keep every core busy, few enough to bound memory. */
    static final int BATCH = 64;

    private Thumbnailer() {
    }

    /** Data URIs by finding index, for the findings whose index is in {@code wanted}. */
    public static Map<Integer, String> make(DatasetReader reader, List<Finding> findings, Set<Integer> wanted, boolean sharp)
            throws IOException {
        return make(reader, findings, wanted, sharp, Runtime.getRuntime().availableProcessors());
    }

    /** As above, decoding on {@code threads} threads (the user's --threads). */
    public static Map<Integer, String> make(DatasetReader reader, List<Finding> findings, Set<Integer> wanted, boolean sharp,
                                            int threads) throws IOException {
        Map<String, List<Integer>> byPath = new HashMap<>();
        for (int i : wanted) {
            byPath.computeIfAbsent(findings.get(i).path(), k -> new java.util.ArrayList<>()).add(i);
        }
        ImageDecoder decoder = new ImageDecoder();
        Map<Integer, String> out = new java.util.concurrent.ConcurrentHashMap<>();
        // decoded on every core, a bounded batch of files at a time
        List<DatasetEntry> batch = new java.util.ArrayList<>();
        while (reader.hasNext() || !batch.isEmpty()) {
            if (reader.hasNext() && batch.size() < BATCH) {
                DatasetEntry e = reader.next();
                if (byPath.containsKey(e.path()) && e.error() == null) {
                    batch.add(e);
                }
                continue;
            }
            org.likeness.files.Parallel.map(batch, threads, e -> {
                try (DecodedImage img = decoder.decode(e.path(), e.bytes())) {
                    for (int i : byPath.get(e.path())) {
                        out.put(i, thumb(img.bgr(), findings.get(i).box(), sharp));
                    }
                } catch (DecodeException ignored) {
                    // the audit already lists it as a failure
                }
                return null;
            });
            batch.clear();
        }
        return out;
    }

    static String thumb(Mat bgr, Box b, boolean sharp) {
        float side = Math.max(b.w(), b.h()) * (1 + 2 * MARGIN);
        int x = Math.max(0, Math.round(b.cx() - side / 2));
        int y = Math.max(0, Math.round(b.cy() - side / 2));
        int w = Math.min(bgr.cols() - x, Math.round(side));
        int h = Math.min(bgr.rows() - y, Math.round(side));
        if (w <= 1 || h <= 1) {
            return null;
        }
        Mat crop = new Mat(bgr, new Rect(x, y, w, h));
        Mat small = new Mat();
        MatOfByte jpg = new MatOfByte();
        try {
            if (sharp) {
                Imgproc.resize(crop, small, new Size(SIDE, SIDE), 0, 0, Imgproc.INTER_AREA);
            } else {
                // the same Gaussian, applied at 1/BLUR_SCALE of the side (area-averaged down, σ scaled alike, bilinear
                // up): a 97-tap kernel on 72 px becomes 17 taps on 12 px, and no detail finer than 6 px survives
                Mat tiny = new Mat();
                try {
                    int t = SIDE / BLUR_SCALE;
                    Imgproc.resize(crop, tiny, new Size(t, t), 0, 0, Imgproc.INTER_AREA);
                    double sigma = t * BLUR_SIGMA_FRACTION;
                    Imgproc.GaussianBlur(tiny, tiny, new Size(0, 0), sigma, sigma, Core.BORDER_REPLICATE);
                    Imgproc.resize(tiny, small, new Size(SIDE, SIDE), 0, 0, Imgproc.INTER_LINEAR);
                } finally {
                    tiny.release();
                }
            }
            Imgcodecs.imencode(".jpg", small, jpg, new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, 80));
            return "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(jpg.toArray());
        } finally {
            crop.release();
            small.release();
            jpg.release();
        }
    }
}
