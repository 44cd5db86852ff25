package org.likeness.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The decrypted templates of one model, held in memory for identification: one contiguous
 * {@code float[]} (n × d, L2-normalised) searched by brute-force dot products; from
 * {@link #APPROXIMATE_FROM} templates a first pass chooses candidates (sign codes by default, or a
 * Lucene HNSW graph) and only those are scored exactly. Zeroed on {@link #close()}.
 * Thread-safe for concurrent {@link #identify} calls.
 */
public final class TemplateGallery implements AutoCloseable {
    /**
     * Gallery size from which {@link Search#AUTO} stops scoring every template. Sign codes are faster
     * at every size measured (0.06 vs 0.43 ms at 1,000), but brute force is exact, so it is kept while
     * it stays within half the 5 ms target: 2.6 ms median at 5,000 and 17 ms at 20,000 templates of
     * 512 dimensions ({@code IdentifyBenchmark}, 2026-11-26, docs/REGISTRY.md "Benchmark").
     */
    public static final int APPROXIMATE_FROM = 5_000;

    /**
     * Candidates rescored exactly after the first pass. 64: measured recall 100% of brute force on
     * 100k random 512-d templates with sign codes (docs/REGISTRY.md, "Benchmark").
     */
    static final int SIGN_CODE_CANDIDATES = 64;

    /** How a gallery searches. */
    public enum Search {
        /** Brute force below {@link #APPROXIMATE_FROM} templates, {@link #SIGN_CODES} from there on. */
        AUTO,
        /** Every template scored exactly: the oracle. */
        BRUTE_FORCE,
        /** Hamming distance on sign bits chooses candidates, rescored exactly. */
        SIGN_CODES,
        /** Lucene HNSW chooses candidates, rescored exactly (poor recall on random vectors: see the docs). */
        HNSW
    }

    private final String modelId;
    private final MatchPolicy policy;
    private final int dims;
    private final String[] subjectIds;
    private final int[] subjectOf;
    private final float[] data;
    private final HnswIndex hnsw;
    private final SignCodes signCodes;
    /** Readers identify; close takes the write lock so it never zeroes templates under a running search. */
    private final java.util.concurrent.locks.ReentrantReadWriteLock lock =
            new java.util.concurrent.locks.ReentrantReadWriteLock();
    private boolean closed;

    private TemplateGallery(String modelId, MatchPolicy policy, int dims, String[] subjectIds, int[] subjectOf,
                            float[] data, Search search) {
        this.modelId = modelId;
        this.policy = policy;
        this.dims = dims;
        this.subjectIds = subjectIds;
        this.subjectOf = subjectOf;
        this.data = data;
        boolean approximate = subjectOf.length > 0
                && (search == Search.AUTO ? subjectOf.length >= APPROXIMATE_FROM : search != Search.BRUTE_FORCE);
        this.hnsw = approximate && search == Search.HNSW ? HnswIndex.build(data, dims) : null;
        this.signCodes = approximate && search != Search.HNSW ? SignCodes.of(data, dims) : null;
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

    /** The plain templates and their subjects, for {@link GallerySnapshot} to seal (never written elsewhere). */
    void writeTo(java.io.DataOutputStream out) throws IOException {
        lock.readLock().lock();
        try {
            ensureOpen();
            out.writeUTF(modelId);
            out.writeDouble(policy.threshold());
            out.writeDouble(policy.margin());
            out.writeInt(dims);
            out.writeInt(subjectOf.length);
            for (int t = 0; t < subjectOf.length; t++) {
                out.writeUTF(subjectIds[subjectOf[t]]);
                for (int i = 0; i < dims; i++) {
                    out.writeFloat(data[t * dims + i]);
                }
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    /** A gallery from {@link #writeTo}'s bytes. */
    static TemplateGallery readFrom(java.io.DataInputStream in, Search search) throws IOException {
        String model = in.readUTF();
        MatchPolicy policy = new MatchPolicy(in.readDouble(), in.readDouble());
        int dims = in.readInt();
        int n = in.readInt();
        String[] subjects = new String[n];
        float[] rows = new float[n * dims];
        for (int t = 0; t < n; t++) {
            subjects[t] = in.readUTF();
            for (int i = 0; i < dims; i++) {
                rows[t * dims + i] = in.readFloat();
            }
        }
        return ofNormalised(model, policy, subjects, rows, dims, search);
    }

    /**
     * Splits the gallery into {@code blocks} galleries (a power of two) by the sign code of each template's first
     * log2(blocks) dimensions, so that close templates tend to share a block; for a partitioned identification whose
     * per-block answers {@link Identification#merge} joins into the whole gallery's answer.
     */
    public java.util.List<TemplateGallery> blocks(int blocks, Search search) {
        if (blocks < 1 || Integer.bitCount(blocks) != 1 || blocks > (1 << Math.min(dims, 20))) {
            throw new IllegalArgumentException("blocks must be a power of two up to 2^min(dims, 20): " + blocks);
        }
        int bits = Integer.numberOfTrailingZeros(blocks);
        lock.readLock().lock();
        try {
            ensureOpen();
            java.util.List<java.util.List<Integer>> members = new java.util.ArrayList<>();
            for (int b = 0; b < blocks; b++) {
                members.add(new java.util.ArrayList<>());
            }
            for (int t = 0; t < subjectOf.length; t++) {
                members.get(block(data, t * dims, bits)).add(t);
            }
            java.util.List<TemplateGallery> out = new java.util.ArrayList<>();
            for (java.util.List<Integer> m : members) {
                String[] subjects = new String[m.size()];
                float[] rows = new float[m.size() * dims];
                for (int i = 0; i < m.size(); i++) {
                    int t = m.get(i);
                    subjects[i] = subjectIds[subjectOf[t]];
                    System.arraycopy(data, t * dims, rows, i * dims, dims);
                }
                out.add(ofNormalised(modelId, policy, subjects, rows, dims, search));
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The block of a vector: the sign bits of its first {@code bits} components. */
    static int block(float[] v, int offset, int bits) {
        int b = 0;
        for (int i = 0; i < bits; i++) {
            if (v[offset + i] > 0) {
                b |= 1 << i;
            }
        }
        return b;
    }

    public MatchPolicy policy() {
        return policy;
    }

    /** A gallery over rows already L2-normalised by a gallery (blocks, snapshots): copied bit for bit, not normalised again. */
    private static TemplateGallery ofNormalised(String modelId, MatchPolicy policy, String[] subjectOfTemplate, float[] rows, int dims,
                                               Search search) {
        Map<String, Integer> ordinals = new LinkedHashMap<>();
        int[] subjectOf = new int[subjectOfTemplate.length];
        for (int t = 0; t < subjectOf.length; t++) {
            subjectOf[t] = ordinals.computeIfAbsent(subjectOfTemplate[t], k -> ordinals.size());
        }
        return new TemplateGallery(modelId, policy, dims, ordinals.keySet().toArray(String[]::new), subjectOf, rows, search);
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

    /** Whether {@link #identify} scores only candidates chosen by a first pass. */
    public boolean approximate() {
        return hnsw != null || signCodes != null;
    }

    /** Bytes of heap held per template: the vector, the subject ordinal, and the first-pass index. */
    public long bytesPerTemplate() {
        long perVector = (long) dims * Float.BYTES + Integer.BYTES;
        if (hnsw != null) {
            return perVector + hnsw.bytesPerVector();
        }
        return signCodes == null ? perVector : perVector + signCodes.bytesPerVector();
    }

    /** Identifies a probe with the policy: MATCH only above the threshold and ahead of the runner-up by the margin. */
    public Identification identify(float[] probe) {
        lock.readLock().lock();
        try {
            ensureOpen();
            return approximate() ? identifyApproximate(probe) : scoreAll(probe);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Brute force over every template: the oracle for {@link #identify}. */
    public Identification identifyExact(float[] probe) {
        lock.readLock().lock();
        try {
            ensureOpen();
            return scoreAll(probe);
        } finally {
            lock.readLock().unlock();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("gallery of model " + modelId + " is closed");
        }
    }

    private Identification identifyApproximate(float[] probe) {
        float[] q = normalised(probe);
        Best best = new Best();
        int[] candidates = hnsw != null ? hnsw.candidates(q) : signCodes.candidates(q, SIGN_CODE_CANDIDATES);
        for (int t : candidates) {
            // rescore exactly: the first pass only chooses which templates to compare
            best.offer(subjectOf[t], dot(data, t * dims, q, dims));
        }
        return best.decide();
    }

    private Identification scoreAll(float[] probe) {
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
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            Arrays.fill(data, 0f);
        } finally {
            lock.writeLock().unlock();
        }
        if (hnsw != null) {
            try {
                hnsw.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
