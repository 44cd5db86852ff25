package org.likeness.face;

import java.util.Arrays;

/**
 * An L2-normalised identity vector and the id of the model that made it; vectors of different models are never compared.
 */
public record Embedding(String model, float[] vector) {
    public Embedding {
        if (model == null || vector == null || vector.length == 0) {
            throw new IllegalArgumentException("embedding needs a model id and a vector");
        }
        vector = vector.clone();
    }

    /** Normalises a raw model output to unit length. */
    public static Embedding normalised(String model, float[] raw) {
        double s = 0;
        for (float v : raw) {
            s += v * v;
        }
        float inv = s > 0 ? (float) (1 / Math.sqrt(s)) : 0;
        float[] n = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            n[i] = raw[i] * inv;
        }
        return new Embedding(model, n);
    }

    @Override
    public float[] vector() {
        return vector.clone();
    }

    public int dimension() {
        return vector.length;
    }

    /** Cosine similarity (the dot product of unit vectors). */
    public float similarity(Embedding o) {
        if (!model.equals(o.model) || vector.length != o.vector.length) {
            throw new IllegalArgumentException("cannot compare vectors of model " + model + " and " + o.model);
        }
        float s = 0;
        for (int i = 0; i < vector.length; i++) {
            s += vector[i] * o.vector[i];
        }
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Embedding e && model.equals(e.model) && Arrays.equals(vector, e.vector);
    }

    @Override
    public int hashCode() {
        return model.hashCode() * 31 + Arrays.hashCode(vector);
    }

    @Override
    public String toString() {
        return "Embedding[" + model + ", d=" + vector.length + "]";
    }
}
