package org.likeness.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The decrypted templates of one model, held in memory for identification: one contiguous
 * {@code float[]} (n × d, L2-normalised) searched by brute-force dot products, plus an in-memory
 * Lucene HNSW graph above {@link #HNSW_CROSSOVER} templates. Zeroed on {@link #close()}.
 * Thread-safe for concurrent {@link #identify} calls.
 */
public final class TemplateGallery implements AutoCloseable {
    /**
     * Gallery size from which {@link Search#AUTO} uses HNSW. Measured with
     * {@code org.likeness.bench.IdentifyBenchmark} on 512-d vectors (docs/REGISTRY.md, "Crossover").
     */
    public static final int HNSW_CROSSOVER = 20_000;

    /** How a gallery searches. */
    public enum Search {
        /** Brute force below {@link #HNSW_CROSSOVER} templates, HNSW from there on. */
        AUTO,
        BRUTE_FORCE,
        HNSW
    }

    private final String modelId;
    private final MatchPolicy policy;
    private final int dims;
    private final String[] subjectIds;
    private final int[] subjectOf;
    private final float[] data;
    private final HnswIndex hnsw;

    private TemplateGallery(String modelId, MatchPolicy policy, int dims, String[] subjectIds, int[] subjectOf,
                            float[] data, Search search) {
        this.modelId = modelId;
        this.policy = policy;
        this.dims = dims;
        this.subjectIds = subjectIds;
        this.subjectOf = subjectOf;
        this.data = data;
        boolean useHnsw = search == Search.HNSW || (search == Search.AUTO && subjectOf.length >= HNSW_CROSSOVER);
        this.hnsw = useHnsw && subjectOf.length > 0 ? HnswIndex.build(data, dims) : null;
    }

    /**
     * A gallery over {@code templates[i]} belonging to {@code subjectOfTemplate[i]}. Templates are
     * copied and L2-normalised; the caller may clear its arrays afterwards.
     */
    public static TemplateGallery of(String modelId, MatchPolicy policy, String[] subjectOfTemplate,
                                     float[][] templates, Search search) {
        Objects.requireNonNull(policy, "policy");
        if (subjectOfTemplate.length != templates.length) {
            throw new IllegalArgumentException("one subject per template");
        }
        int dims = templates.length == 0 ? 0 : templates[0].length;
        Map<String, Integer> ordinals = new LinkedHashMap<>();
        int[] subjectOf = new int[templates.length];
        float[] data = new float[templates.length * dims];
        for (int t = 0; t < templates.length; t++) {
            if (templates[t].length != dims) {
                throw new InvalidInputException("template " + t + " of model " + modelId + " has "
                        + templates[t].length + " dimensions, expected " + dims);
            }
            subjectOf[t] = ordinals.computeIfAbsent(subjectOfTemplate[t], k -> ordinals.size());
            normaliseInto(templates[t], data, t * dims, "template " + t + " of model " + modelId);
        }
        return new TemplateGallery(modelId, policy, dims, ordinals.keySet().toArray(String[]::new), subjectOf,
                data, search);
    }

    public String modelId() {
        return modelId;
    }

    public int size() {
        return subjectOf.length;
    }

    public int subjects() {
        return subjectIds.length;
    }

    public boolean usesHnsw() {
        return hnsw != null;
    }

    /** Bytes of heap held per template: the vector, the subject ordinal, and the HNSW copy when built. */
    public long bytesPerTemplate() {
        long perVector = (long) dims * Float.BYTES + Integer.BYTES;
        return hnsw == null ? perVector : perVector + hnsw.bytesPerVector();
    }

    /** Identifies a probe with the policy: MATCH only above the threshold and ahead of the runner-up by the margin. */
    public Identification identify(float[] probe) {
        if (hnsw == null) {
            return identifyExact(probe);
        }
        float[] q = normalised(probe);
        Best best = new Best();
        for (int t : hnsw.candidates(q)) {
            // rescore exactly: HNSW only chooses which templates to compare
            best.offer(subjectOf[t], dot(data, t * dims, q, dims));
        }
        return best.decide();
    }

    /** Brute force over every template: the oracle for {@link #identify}. */
    public Identification identifyExact(float[] probe) {
        float[] q = normalised(probe);
        Best best = new Best();
        for (int t = 0; t < subjectOf.length; t++) {
            best.offer(subjectOf[t], dot(data, t * dims, q, dims));
        }
        return best.decide();
    }

    private float[] normalised(float[] probe) {
        Objects.requireNonNull(probe, "probe");
        if (subjectOf.length > 0 && probe.length != dims) {
            throw new InvalidInputException("probe has " + probe.length + " dimensions but templates of model "
                    + modelId + " have " + dims);
        }
        float[] q = new float[probe.length];
        normaliseInto(probe, q, 0, "probe");
        return q;
    }

    static void normaliseInto(float[] v, float[] out, int offset, String what) {
        double sum = 0;
        for (float x : v) {
            if (!Float.isFinite(x)) {
                throw new InvalidInputException(what + " has a non-finite component");
            }
            sum += (double) x * x;
        }
        if (sum == 0) {
            throw new InvalidInputException(what + " is the zero vector");
        }
        float inv = (float) (1.0 / Math.sqrt(sum));
        for (int i = 0; i < v.length; i++) {
            out[offset + i] = v[i] * inv;
        }
    }

    static float dot(float[] data, int offset, float[] q, int dims) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < dims; i += 4) {
            s0 += data[offset + i] * q[i];
            s1 += data[offset + i + 1] * q[i + 1];
            s2 += data[offset + i + 2] * q[i + 2];
            s3 += data[offset + i + 3] * q[i + 3];
        }
        for (; i < dims; i++) {
            s0 += data[offset + i] * q[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Best subject and best different subject seen so far. */
    private final class Best {
        private int best = -1;
        private float bestScore = Float.NEGATIVE_INFINITY;
        private int second = -1;
        private float secondScore = Float.NEGATIVE_INFINITY;

        void offer(int subject, float score) {
            if (subject == best) {
                bestScore = Math.max(bestScore, score);
            } else if (score > bestScore) {
                second = best;
                secondScore = bestScore;
                best = subject;
                bestScore = score;
            } else if (score > secondScore) {
                second = subject;
                secondScore = score;
            }
        }

        Identification decide() {
            return Identification.decide(policy, best < 0 ? null : subjectIds[best], bestScore,
                    second < 0 ? null : subjectIds[second], secondScore);
        }
    }

    @Override
    public void close() {
        Arrays.fill(data, 0f);
        if (hnsw != null) {
            try {
                hnsw.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
