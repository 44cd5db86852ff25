package org.likeness.eval;

import org.likeness.face.Box;
import org.likeness.face.FaceAligner;
import org.likeness.face.FaceDetector;
import org.likeness.face.FaceEmbedder;
import org.likeness.face.LandmarkModel;
import org.likeness.face.Landmarks;
import org.likeness.image.ImageDecoder;
import org.opencv.core.Mat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Computes, in one pass per image, the vectors of every pipeline variant we compare: one or two landmark passes ×
 * two 68→5 point reductions × with or without flip test-time augmentation. The detector runs once per image.
 */
public final class Bakeoff {
    /** Variant names, in the order of {@link #vectors}' second index. */
    public static final List<String> VARIANTS = List.of(
            "1pass-outer", "1pass-outer+flip", "1pass-inner", "1pass-inner+flip",
            "2pass-outer", "2pass-outer+flip", "2pass-inner", "2pass-inner+flip");

    private final FaceDetector detector;
    private final LandmarkModel landmarks;
    private final FaceEmbedder embedder;
    private final ImageDecoder decoder = new ImageDecoder();

    public Bakeoff(FaceDetector detector, LandmarkModel landmarks, FaceEmbedder embedder) {
        this.detector = detector;
        this.landmarks = landmarks;
        this.embedder = embedder;
    }

    /** Vectors per image path (relative to root); images with no face are absent. Thread-safe. */
    public float[][] vectors(Path file) throws Exception {
        return PrimaryFace.read(file, decoder, detector, (bgr, box) -> {
            float[] p1 = landmarks.points68(bgr, box);
            Box refined = LandmarkModel.boxAround(p1);
            float[] p2 = landmarks.points68(bgr, refined);
            List<Landmarks> fives = List.of(LandmarkModel.toFive(p1), LandmarkModel.toFiveInner(p1),
                    LandmarkModel.toFive(p2), LandmarkModel.toFiveInner(p2));
            float[][] out = new float[VARIANTS.size()][];
            for (int k = 0; k < fives.size(); k++) {
                Mat aligned = FaceAligner.align(bgr, fives.get(k), embedder.cropSize());
                try {
                    float[] plain = embedder.raw(aligned, false);
                    out[2 * k] = unit(plain);
                    out[2 * k + 1] = unit(withMirror(plain, embedder.raw(aligned, true)));
                } finally {
                    aligned.release();
                }
            }
            return out;
        });
    }

    /** Flip test-time augmentation: the crop's and its mirror image's raw vectors summed (before normalising). */
    static float[] withMirror(float[] plain, float[] mirror) {
        float[] sum = new float[plain.length];
        for (int d = 0; d < sum.length; d++) {
            sum[d] = plain[d] + mirror[d];
        }
        return sum;
    }

    static float[] unit(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x * x;
        }
        float inv = (float) (1 / Math.sqrt(s));
        float[] o = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            o[i] = v[i] * inv;
        }
        return o;
    }

    /** Runs {@link #vectors} over files with a parallel stream; failures and no-face images are absent from the map. */
    public Map<String, float[][]> run(Path root, List<String> files, Runnable tick) {
        Map<String, float[][]> out = new ConcurrentHashMap<>();
        new ArrayList<>(files).parallelStream().forEach(f -> {
            try {
                float[][] v = vectors(root.resolve(f));
                if (v != null) {
                    out.put(f, v);
                }
            } catch (Exception e) {
                // counted as no face by the caller
            }
            tick.run();
        });
        return out;
    }
}
