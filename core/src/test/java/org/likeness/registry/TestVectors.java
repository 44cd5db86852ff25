package org.likeness.registry;

import java.util.HexFormat;
import java.util.SplittableRandom;

/** Deterministic embeddings for registry tests: the registry never sees images, only vectors. */
final class TestVectors {
    static final int DIMS = 512;
    static final String MODEL = "test-model@1";

    private TestVectors() {
    }

    /** A random unit vector from a seed. */
    static float[] unit(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[DIMS];
        double sum = 0;
        for (int i = 0; i < DIMS; i++) {
            v[i] = (float) gaussian(r);
            sum += v[i] * v[i];
        }
        float inv = (float) (1 / Math.sqrt(sum));
        for (int i = 0; i < DIMS; i++) {
            v[i] *= inv;
        }
        return v;
    }

    /** A unit vector at cosine similarity about {@code cos} to {@code base}: another photo of the same person. */
    static float[] near(float[] base, double cos, long seed) {
        float[] noise = unit(seed);
        double dot = 0;
        for (int i = 0; i < DIMS; i++) {
            dot += noise[i] * base[i];
        }
        double sin = Math.sqrt(1 - cos * cos);
        float[] v = new float[DIMS];
        double sum = 0;
        for (int i = 0; i < DIMS; i++) {
            double orth = noise[i] - dot * base[i];
            v[i] = (float) orth;
            sum += orth * orth;
        }
        double inv = 1 / Math.sqrt(sum);
        for (int i = 0; i < DIMS; i++) {
            v[i] = (float) (cos * base[i] + sin * v[i] * inv);
        }
        return v;
    }

    static double cosine(float[] a, float[] b) {
        double d = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            d += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return d / Math.sqrt(na * nb);
    }

    static String sha(long seed) {
        byte[] b = new byte[32];
        new SplittableRandom(seed).nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    static EnrolFace face(long seed) {
        return new EnrolFace(unit(seed), 0.9, sha(seed));
    }

    private static double gaussian(SplittableRandom r) {
        double u = r.nextDouble(), v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }
}
