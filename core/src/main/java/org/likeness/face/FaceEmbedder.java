package org.likeness.face;

import org.opencv.core.Mat;

import java.nio.file.Path;

/**
 * An embedder fed an aligned crop as its {@link EmbedderSpec} says; by default {@code fr_feature.onnx} (512-d,
 * 112×112 RGB NCHW, (x−127.5)/128). With flip test-time augmentation the vectors of the crop and its mirror image are
 * summed before normalising.
 */
public final class FaceEmbedder implements AutoCloseable {
    private final OnnxModel model;
    private final EmbedderSpec spec;
    private final boolean flip;

    public FaceEmbedder(Path onnx, int intraOpThreads, boolean flipTta) {
        this(EmbedderSpec.FR_FEATURE, onnx, intraOpThreads, flipTta);
    }

    public FaceEmbedder(EmbedderSpec spec, Path onnx, int intraOpThreads, boolean flipTta) {
        this.model = new OnnxModel(spec.id(), onnx, intraOpThreads);
        this.spec = spec;
        this.flip = flipTta;
    }

    /** Side of the aligned crop this embedder takes. */
    public int cropSize() {
        return spec.size();
    }

    /** Model id plus the augmentation, so that vectors made differently are never compared. */
    public String modelId() {
        return model.id() + (flip ? "+flip" : "");
    }

    public Embedding embed(Mat aligned) {
        return embedMeasured(aligned).embedding();
    }

    /**
     * An embedding and the length of the model's raw output before normalising: fr_feature's output is long for an
     * upright face and short for one lying on its side or upside down (docs/DECISIONS.md, "Rotated faces").
     */
    public record Measured(Embedding embedding, float rawNorm) {
    }

    public Measured embedMeasured(Mat aligned) {
        int s = spec.size();
        byte[] px = new byte[s * s * 3];
        aligned.get(0, 0, px);
        float[] v = run(px, false);
        double sq = 0;
        for (float x : v) {
            sq += x * x;
        }
        float norm = (float) Math.sqrt(sq);
        if (flip) {
            float[] f = run(px, true);
            for (int i = 0; i < v.length; i++) {
                v[i] += f[i];
            }
        }
        return new Measured(Embedding.normalised(modelId(), v), norm);
    }

    /** The raw (unnormalised) model output for an aligned crop or its mirror image; for bake-offs. */
    public float[] raw(Mat aligned, boolean mirror) {
        int s = spec.size();
        byte[] px = new byte[s * s * 3];
        aligned.get(0, 0, px);
        return run(px, mirror);
    }

    private float[] run(byte[] px, boolean mirror) {
        int s = spec.size();
        int plane = s * s;
        float[] t = new float[3 * plane];
        float mean = spec.mean();
        float inv = 1f / spec.std();
        int r = spec.rgb() ? 2 : 0;
        int b = spec.rgb() ? 0 : 2;
        for (int y = 0; y < s; y++) {
            for (int x = 0; x < s; x++) {
                int src = 3 * (y * s + (mirror ? s - 1 - x : x));
                int dst = y * s + x;
                float c0 = ((px[src + r] & 0xff) - mean) * inv;
                float c1 = ((px[src + 1] & 0xff) - mean) * inv;
                float c2 = ((px[src + b] & 0xff) - mean) * inv;
                if (spec.nchw()) {
                    t[dst] = c0;
                    t[plane + dst] = c1;
                    t[2 * plane + dst] = c2;
                } else {
                    t[3 * dst] = c0;
                    t[3 * dst + 1] = c1;
                    t[3 * dst + 2] = c2;
                }
            }
        }
        long[] shape = spec.nchw() ? new long[]{1, 3, s, s} : new long[]{1, s, s, 3};
        return model.runFirst(t, shape);
    }

    @Override
    public void close() {
        model.close();
    }
}
