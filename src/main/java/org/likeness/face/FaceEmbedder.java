package org.likeness.face;

import org.likeness.model.ModelCatalogue;
import org.opencv.core.Mat;

import java.nio.file.Path;

/**
 * The 512-d embedder ({@code fr_feature.onnx}): an aligned 112×112 crop, RGB NCHW, (x−127.5)/128.
 * With flip test-time augmentation the vectors of the crop and its mirror image are summed before normalising.
 */
public final class FaceEmbedder implements AutoCloseable {
    private final OnnxModel model;
    private final boolean flip;

    public FaceEmbedder(Path onnx, int intraOpThreads, boolean flipTta) {
        this.model = new OnnxModel(ModelCatalogue.ARCFACE512, onnx, intraOpThreads);
        this.flip = flipTta;
    }

    /** Model id plus the augmentation, so that vectors made differently are never compared. */
    public String modelId() {
        return model.id() + (flip ? "+flip" : "");
    }

    public Embedding embed(Mat aligned) {
        int s = FaceAligner.SIZE;
        byte[] px = new byte[s * s * 3];
        aligned.get(0, 0, px);
        float[] v = run(px, false);
        if (flip) {
            float[] f = run(px, true);
            for (int i = 0; i < v.length; i++) {
                v[i] += f[i];
            }
        }
        return Embedding.normalised(modelId(), v);
    }

    /** The raw (unnormalised) model output for an aligned crop or its mirror image; for bake-offs. */
    public float[] raw(Mat aligned, boolean mirror) {
        int s = FaceAligner.SIZE;
        byte[] px = new byte[s * s * 3];
        aligned.get(0, 0, px);
        return run(px, mirror);
    }

    private float[] run(byte[] px, boolean mirror) {
        int s = FaceAligner.SIZE;
        int plane = s * s;
        float[] t = new float[3 * plane];
        for (int y = 0; y < s; y++) {
            for (int x = 0; x < s; x++) {
                int src = 3 * (y * s + (mirror ? s - 1 - x : x));
                int dst = y * s + x;
                t[dst] = ((px[src + 2] & 0xff) - 127.5f) / 128f;
                t[plane + dst] = ((px[src + 1] & 0xff) - 127.5f) / 128f;
                t[2 * plane + dst] = ((px[src] & 0xff) - 127.5f) / 128f;
            }
        }
        return model.run(t, new long[]{1, 3, s, s}).get("output");
    }

    @Override
    public void close() {
        model.close();
    }
}
