package org.likeness.face;

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
 * MediaPipe BlazeFace (short-range "front" 128×128 or full-range "back" 256×256), as packaged for Barracuda in ONNX:
 * NHWC RGB in [−1,1] on a letterboxed square; 896 anchors on two grids (2 per cell, then 6 per cell); scores are
 * logits; regressors are offsets in input pixels from the anchor centres. Its six keypoints lack the mouth corners,
 * so the 68-point model still supplies the alignment points.
 */
public final class BlazeFaceDetector implements FaceDetector {
    /** MediaPipe's face_detection graphs use min_score_thresh 0.5. */
    public static final float SCORE_THRESHOLD = 0.5f;
    /** MediaPipe's min_suppression_threshold 0.3 (it blends overlaps; we keep the best, as UltraFace does). */
    static final float NMS_IOU = 0.3f;
    /** MediaPipe clips logits to ±100 before the sigmoid (score_clipping_thresh). */
    static final float LOGIT_CLIP = 100f;

    private final OnnxModel model;
    private final int side;
    private final float[] anchors; // (cx, cy) normalised, 896 × 2: first the fine grid, then the coarse one
    private final int fine;

    /** @param side 128 for the front (short-range) model, 256 for the back (full-range) model */
    public BlazeFaceDetector(String id, Path onnx, int side, int intraOpThreads) {
        this.model = new OnnxModel(id, onnx, intraOpThreads);
        this.side = side;
        int fineGrid = side == 128 ? 16 : 32;
        int coarseGrid = fineGrid / 2;
        // front: strides 8 (2 anchors) and 16 (6 anchors); back: strides 16 (2 anchors) and 32 (6 anchors)
        this.fine = fineGrid * fineGrid * 2;
        int total = fine + coarseGrid * coarseGrid * 6;
        this.anchors = new float[2 * total];
        int k = 0;
        k = grid(fineGrid, 2, k);
        grid(coarseGrid, 6, k);
    }

    private int grid(int g, int perCell, int k) {
        for (int y = 0; y < g; y++) {
            for (int x = 0; x < g; x++) {
                for (int a = 0; a < perCell; a++) {
                    anchors[2 * k] = (x + 0.5f) / g;
                    anchors[2 * k + 1] = (y + 0.5f) / g;
                    k++;
                }
            }
        }
        return k;
    }

    @Override
    public String modelId() {
        return model.id();
    }

    @Override
    public List<Detection> detect(Mat bgr) {
        int w = bgr.cols();
        int h = bgr.rows();
        int s = Math.max(w, h);
        int padX = (s - w) / 2;
        int padY = (s - h) / 2;
        Mat square = new Mat();
        Mat small = new Mat();
        try {
            Core.copyMakeBorder(bgr, square, padY, s - h - padY, padX, s - w - padX, Core.BORDER_CONSTANT, new Scalar(0, 0, 0));
            Imgproc.resize(square, small, new Size(side, side), 0, 0, s > side ? Imgproc.INTER_AREA : Imgproc.INTER_LINEAR);
            byte[] px = new byte[side * side * 3];
            small.get(0, 0, px);
            float[] in = new float[px.length];
            for (int i = 0; i < side * side; i++) {
                in[3 * i] = (px[3 * i + 2] & 0xff) / 127.5f - 1f;
                in[3 * i + 1] = (px[3 * i + 1] & 0xff) / 127.5f - 1f;
                in[3 * i + 2] = (px[3 * i] & 0xff) / 127.5f - 1f;
            }
            Map<String, float[]> out = model.run(in, new long[]{1, side, side, 3});
            List<Detection> cands = new ArrayList<>();
            decode(out.get("Identity:0"), out.get("Identity_2:0"), 0, s, padX, padY, cands);
            decode(out.get("Identity_1:0"), out.get("Identity_3:0"), fine, s, padX, padY, cands);
            return Nms.apply(cands, NMS_IOU);
        } finally {
            square.release();
            small.release();
        }
    }

    private void decode(float[] scores, float[] reg, int offset, int s, int padX, int padY, List<Detection> out) {
        for (int i = 0; i < scores.length; i++) {
            float logit = Math.max(-LOGIT_CLIP, Math.min(LOGIT_CLIP, scores[i]));
            float score = (float) (1 / (1 + Math.exp(-logit)));
            if (score < SCORE_THRESHOLD) {
                continue;
            }
            int a = offset + i;
            float cx = anchors[2 * a] + reg[16 * i] / side;
            float cy = anchors[2 * a + 1] + reg[16 * i + 1] / side;
            float bw = reg[16 * i + 2] / side;
            float bh = reg[16 * i + 3] / side;
            float x1 = (cx - bw / 2) * s - padX;
            float y1 = (cy - bh / 2) * s - padY;
            if (bw > 0 && bh > 0) {
                out.add(new Detection(new Box(x1, y1, bw * s, bh * s), score, null));
            }
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
