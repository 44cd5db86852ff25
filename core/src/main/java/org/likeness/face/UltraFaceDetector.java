package org.likeness.face;

import org.likeness.model.ModelCatalogue;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The UltraFace RFB-320 detector ({@code fr_detect.onnx}): the whole image stretched to 320×240, RGB, (x−127)/128.
 * Its ONNX graph already decodes the SSD priors: {@code boxes} are corner-form coordinates in [0,1].
 */
public final class UltraFaceDetector implements FaceDetector {
    static final int IN_W = 320;
    static final int IN_H = 240;
    /** UltraFace's own demo uses 0.7 ("prob_threshold", Ultra-Light-Fast-Generic-Face-Detector-1MB run_video_face_detect_onnx.py). */
    public static final float SCORE_THRESHOLD = 0.7f;
    /** UltraFace's hard-NMS IoU threshold (same source). */
    static final float NMS_IOU = 0.3f;
    /**
     * Tight crops (AT&T 92×112, Yale) fill the frame and the detector misses them; when nothing is found the image is
     * padded by this fraction of its size on every side and searched again (docs/DECISIONS.md).
     */
    static final double RETRY_PAD_FRACTION = 0.25;

    private final OnnxModel model;

    public UltraFaceDetector(Path onnx, int intraOpThreads) {
        this(ModelCatalogue.ULTRAFACE, onnx, intraOpThreads);
    }

    public UltraFaceDetector(String id, Path onnx, int intraOpThreads) {
        this.model = new OnnxModel(id, onnx, intraOpThreads);
    }

    @Override
    public String modelId() {
        return model.id();
    }

    @Override
    public List<Detection> detect(Mat bgr) {
        List<Detection> found = detectOnce(bgr);
        if (!found.isEmpty()) {
            return found;
        }
        int pad = (int) Math.round(Math.max(bgr.cols(), bgr.rows()) * RETRY_PAD_FRACTION);
        Mat padded = new Mat();
        try {
            Core.copyMakeBorder(bgr, padded, pad, pad, pad, pad, Core.BORDER_CONSTANT, new Scalar(0, 0, 0));
            List<Detection> out = new ArrayList<>();
            for (Detection d : detectOnce(padded)) {
                out.add(new Detection(d.box().translate(-pad, -pad), d.score(), null));
            }
            return out;
        } finally {
            padded.release();
        }
    }

    private List<Detection> detectOnce(Mat bgr) {
        float[] input = toInput(bgr);
        Map<String, float[]> out = model.run(input, new long[]{1, 3, IN_H, IN_W});
        float[] scores = out.get("scores");
        float[] boxes = out.get("boxes");
        int w = bgr.cols();
        int h = bgr.rows();
        List<Detection> candidates = new ArrayList<>();
        for (int i = 0; i < scores.length / 2; i++) {
            float s = scores[2 * i + 1];
            if (s < SCORE_THRESHOLD) {
                continue;
            }
            float x1 = clamp(boxes[4 * i]) * w;
            float y1 = clamp(boxes[4 * i + 1]) * h;
            float x2 = clamp(boxes[4 * i + 2]) * w;
            float y2 = clamp(boxes[4 * i + 3]) * h;
            if (x2 > x1 && y2 > y1) {
                candidates.add(new Detection(Box.corners(x1, y1, x2, y2), Math.min(1f, s), null));
            }
        }
        return Nms.apply(candidates, NMS_IOU);
    }

    private static float clamp(float v) {
        return Math.max(0f, Math.min(1f, v));
    }

    private static float[] toInput(Mat bgr) {
        Mat small = new Mat();
        try {
            Imgproc.resize(bgr, small, new Size(IN_W, IN_H), 0, 0, Imgproc.INTER_LINEAR);
            byte[] px = new byte[IN_W * IN_H * 3];
            small.get(0, 0, px);
            float[] t = new float[3 * IN_W * IN_H];
            int plane = IN_W * IN_H;
            for (int i = 0; i < plane; i++) {
                // BGR in, RGB planes out
                t[i] = ((px[3 * i + 2] & 0xff) - 127f) / 128f;
                t[plane + i] = ((px[3 * i + 1] & 0xff) - 127f) / 128f;
                t[2 * plane + i] = ((px[3 * i] & 0xff) - 127f) / 128f;
            }
            return t;
        } finally {
            small.release();
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
