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
 * The YuNet detector family (OpenCV's {@code FaceDetectorYN}, 2023 models) brought by a user as an ONNX file:
 * BGR NCHW 0–255, outputs {@code cls_S, obj_S, bbox_S, kps_S} for strides 8, 16, 32; five landmarks per face, so no
 * landmark model is needed. Decoding follows OpenCV's {@code face_detect.cpp}.
 */
public final class YuNetDetector implements FaceDetector {
    /** OpenCV's FaceDetectorYN samples use score_threshold 0.9. */
    public static final float SCORE_THRESHOLD = 0.9f;
    /** OpenCV's FaceDetectorYN default nms_threshold 0.3. */
    static final float NMS_IOU = 0.3f;
    /** Longest side fed to a dynamic-size model: OpenCV zoo demos run YuNet at 320–640. */
    static final int MAX_SIDE = 640;
    static final int[] STRIDES = {8, 16, 32};

    private final OnnxModel model;
    private final int fixedW;
    private final int fixedH;

    public YuNetDetector(String id, Path onnx, int intraOpThreads) {
        this.model = new OnnxModel(id, onnx, intraOpThreads);
        long[] shape = model.inputShape();
        this.fixedW = shape.length == 4 && shape[3] > 0 ? (int) shape[3] : -1;
        this.fixedH = shape.length == 4 && shape[2] > 0 ? (int) shape[2] : -1;
    }

    @Override
    public String modelId() {
        return model.id();
    }

    @Override
    public List<Detection> detect(Mat bgr) {
        int w = bgr.cols();
        int h = bgr.rows();
        double scale = fixedW > 0 ? Math.min((double) fixedW / w, (double) fixedH / h) : Math.min(1.0, (double) MAX_SIDE / Math.max(w, h));
        int sw = Math.max(1, (int) Math.round(w * scale));
        int sh = Math.max(1, (int) Math.round(h * scale));
        int inW = fixedW > 0 ? fixedW : (sw + 31) / 32 * 32;
        int inH = fixedH > 0 ? fixedH : (sh + 31) / 32 * 32;
        Mat small = new Mat();
        Mat padded = new Mat();
        try {
            Imgproc.resize(bgr, small, new Size(sw, sh), 0, 0, scale < 1 ? Imgproc.INTER_AREA : Imgproc.INTER_LINEAR);
            Core.copyMakeBorder(small, padded, 0, inH - sh, 0, inW - sw, Core.BORDER_CONSTANT, new Scalar(0, 0, 0));
            byte[] px = new byte[inW * inH * 3];
            padded.get(0, 0, px);
            int plane = inW * inH;
            float[] t = new float[3 * plane];
            for (int i = 0; i < plane; i++) {
                t[i] = px[3 * i] & 0xff;
                t[plane + i] = px[3 * i + 1] & 0xff;
                t[2 * plane + i] = px[3 * i + 2] & 0xff;
            }
            Map<String, float[]> out = model.run(t, new long[]{1, 3, inH, inW});
            List<Detection> cands = new ArrayList<>();
            for (int stride : STRIDES) {
                decode(out, stride, inW / stride, inH / stride, (float) (1 / scale), cands);
            }
            return Nms.apply(cands, NMS_IOU);
        } finally {
            small.release();
            padded.release();
        }
    }

    private static void decode(Map<String, float[]> out, int stride, int cols, int rows, float back, List<Detection> cands) {
        float[] cls = out.get("cls_" + stride);
        float[] obj = out.get("obj_" + stride);
        float[] box = out.get("bbox_" + stride);
        float[] kps = out.get("kps_" + stride);
        if (cls == null || obj == null || box == null || kps == null) {
            throw new IllegalStateException("not a YuNet model: missing cls/obj/bbox/kps outputs for stride " + stride);
        }
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int i = r * cols + c;
                float score = (float) Math.sqrt(clamp01(cls[i]) * clamp01(obj[i]));
                if (score < SCORE_THRESHOLD) {
                    continue;
                }
                float cx = (c + box[4 * i]) * stride;
                float cy = (r + box[4 * i + 1]) * stride;
                float bw = (float) Math.exp(box[4 * i + 2]) * stride;
                float bh = (float) Math.exp(box[4 * i + 3]) * stride;
                float[] lm = new float[10];
                for (int k = 0; k < 5; k++) {
                    lm[2 * k] = (kps[10 * i + 2 * k] + c) * stride * back;
                    lm[2 * k + 1] = (kps[10 * i + 2 * k + 1] + r) * stride * back;
                }
                cands.add(new Detection(new Box((cx - bw / 2) * back, (cy - bh / 2) * back, bw * back, bh * back), score,
                        new Landmarks(lm)));
            }
        }
    }

    private static float clamp01(float v) {
        return Math.max(0f, Math.min(1f, v));
    }

    @Override
    public void close() {
        model.close();
    }
}
