package org.likeness.face;

import org.opencv.core.Core;
import org.opencv.core.Mat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One image's quarter-turned copies and the detector's faces in each, made when first asked for and kept until
 * {@link #close}: a photo whose several faces are each checked for orientation (docs/DECISIONS.md, "Rotated faces")
 * turns and searches the image once per turn, not once per face. The detector is deterministic, so the faces are
 * those a search per face would find. Not thread-safe: one per call of {@link FacePipeline#faces}.
 */
final class TurnedCopies implements AutoCloseable {
    private final Mat bgr;
    private final FaceDetector detector;
    private final Map<Integer, Mat> turned = new HashMap<>();
    private final Map<Integer, List<Detection>> found = new HashMap<>();

    TurnedCopies(Mat bgr, FaceDetector detector) {
        this.bgr = bgr;
        this.detector = detector;
    }

    /** The image turned by {@code turn} (an OpenCV rotate code); owned by this object. */
    Mat image(int turn) {
        return turned.computeIfAbsent(turn, t -> {
            Mat rot = new Mat();
            Core.rotate(bgr, rot, t);
            return rot;
        });
    }

    /** The detector's faces in {@link #image(int)}. */
    List<Detection> detections(int turn) {
        List<Detection> d = found.get(turn);
        if (d == null) {
            d = detector.detect(image(turn));
            found.put(turn, d);
        }
        return d;
    }

    @Override
    public void close() {
        for (Mat m : turned.values()) {
            m.release();
        }
        turned.clear();
    }
}
