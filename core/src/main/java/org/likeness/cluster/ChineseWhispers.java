package org.likeness.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Identity clustering without knowing who anyone is: Chinese Whispers (Biemann 2006, the method of dlib's face
 * clustering) on the graph whose edges join faces with cosine similarity ≥ a threshold, weighted by similarity.
 * Each node repeatedly takes the label with the largest total edge weight among its neighbours, in a seeded random
 * order, until no label changes. Exact neighbour search (all pairs): fine to a few tens of thousands of faces.
 */
public final class ChineseWhispers {
    /** Biemann's experiments converge within a few iterations; 50 bounds the worst case. */
    static final int MAX_ITERATIONS = 50;

    /**
     * Edges are drawn at a false-match rate chosen so that the whole graph expects at most this many false edges per
     * face: FMR ≤ 2 × 0.01 / (n − 1). A fixed FMR (1e-4) gives ~n/2 × 1e-4 × n false edges, which grows with n² and
     * merges strangers in large sets (measured: BCubed precision 0.88 on lfw-dev at 1e-4, docs/BENCHMARKS.md).
     */
    public static final double FALSE_EDGES_PER_FACE = 0.01;

    /** Rows compared together: 32 vectors of 512 floats (64 KB) stay in L2 while the others stream past. */
    static final int ROW_BLOCK = 32;

    private ChineseWhispers() {
    }

    /** The edge false-match rate for a graph of n faces (see {@link #FALSE_EDGES_PER_FACE}). */
    public static double edgeFmr(int n) {
        return n <= 1 ? 1e-4 : Math.min(1e-4, 2 * FALSE_EDGES_PER_FACE / (n - 1));
    }

    /**
     * @param vectors   unit vectors
     * @param threshold cosine similarity at which two faces are joined by an edge
     * @param seed      for the visiting order (results are deterministic for a seed)
     * @return a cluster label per vector, labels numbered 0.. in order of first appearance
     */
    public static int[] cluster(List<float[]> vectors, float threshold, long seed) {
        int n = vectors.size();
        int d = n == 0 ? 0 : vectors.get(0).length;
        float[] data = new float[n * d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(vectors.get(i), 0, data, i * d, d);
        }
        // each pair is compared once (j > i), in blocks of rows so that each other vector is read once per block, then
        // every edge is recorded on both of its ends
        List<List<int[]>> upper = n >= GEMM_FROM ? gemmOrNull(data, n, d, threshold) : null;
        if (upper == null) {
            upper = upperByLoops(data, n, d, threshold);
        }
        int[] degree = new int[n];
        for (int i = 0; i < n; i++) {
            int[] js = upper.get(i).get(0);
            degree[i] += js.length;
            for (int j : js) {
                degree[j]++;
            }
        }
        List<int[]> nbr = new ArrayList<>(n);
        List<float[]> wts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            nbr.add(new int[degree[i]]);
            wts.add(new float[degree[i]]);
        }
        int[] fill = new int[n];
        for (int i = 0; i < n; i++) {
            int[] js = upper.get(i).get(0);
            int[] bits = upper.get(i).get(1);
            for (int k = 0; k < js.length; k++) {
                float w = Float.intBitsToFloat(bits[k]);
                int j = js[k];
                nbr.get(i)[fill[i]] = j;
                wts.get(i)[fill[i]++] = w;
                nbr.get(j)[fill[j]] = i;
                wts.get(j)[fill[j]++] = w;
            }
        }
        int[] label = IntStream.range(0, n).toArray();
        int[] order = IntStream.range(0, n).toArray();
        Random rnd = new Random(seed);
        float[] score = new float[n];
        for (int it = 0; it < MAX_ITERATIONS; it++) {
            shuffle(order, rnd);
            boolean changed = false;
            for (int i : order) {
                int[] ns = nbr.get(i);
                if (ns.length == 0) {
                    continue;
                }
                float[] ws = wts.get(i);
                int best = label[i];
                float bestScore = 0;
                for (int k = 0; k < ns.length; k++) {
                    score[label[ns[k]]] += ws[k];
                }
                for (int k = 0; k < ns.length; k++) {
                    int l = label[ns[k]];
                    if (score[l] > bestScore || (score[l] == bestScore && l < best)) {
                        bestScore = score[l];
                        best = l;
                    }
                }
                for (int k = 0; k < ns.length; k++) {
                    score[label[ns[k]]] = 0;
                }
                if (best != label[i]) {
                    label[i] = best;
                    changed = true;
                }
            }
            if (!changed) {
                break;
            }
        }
        return renumber(label);
    }

    /** From this many faces the similarities come from ONNX Runtime's matrix product ({@link GemmEdges}). */
    static final int GEMM_FROM = 1000;

    private static List<List<int[]>> gemmOrNull(float[] data, int n, int d, float threshold) {
        try {
            return GemmEdges.upper(data, n, d, threshold, Runtime.getRuntime().availableProcessors());
        } catch (ai.onnxruntime.OrtException | RuntimeException | UnsatisfiedLinkError e) {
            return null; // the Java loops give the same edges, slower
        }
    }

    /** The same edges as {@link GemmEdges#upper}, by Java loops on every core. */
    static List<List<int[]>> upperByLoops(float[] data, int n, int d, float threshold) {
        return IntStream.range(0, (n + ROW_BLOCK - 1) / ROW_BLOCK).parallel()
                .mapToObj(b -> neighbours(data, n, d, b * ROW_BLOCK, Math.min(n, (b + 1) * ROW_BLOCK), threshold))
                .flatMap(List::stream).toList();
    }

    /**
     * Rows i in [i0, i1): for each, [indexes j > i joined to i (increasing), float bits of their similarities]. The block's
     * rows stay in cache while every later vector streams past once (one memory pass per block instead of per row).
     */
    private static List<List<int[]>> neighbours(float[] data, int n, int d, int i0, int i1, float threshold) {
        int rows = i1 - i0;
        int[][] idx = new int[rows][8];
        int[][] bits = new int[rows][8];
        int[] count = new int[rows];
        for (int j = i0 + 1; j < n; j++) {
            int jo = j * d;
            int last = Math.min(i1, j);
            for (int i = i0; i < last; i++) {
                float s = dot(data, i * d, data, jo, d);
                if (s >= threshold) {
                    int r = i - i0;
                    if (count[r] == idx[r].length) {
                        idx[r] = java.util.Arrays.copyOf(idx[r], 2 * count[r]);
                        bits[r] = java.util.Arrays.copyOf(bits[r], 2 * count[r]);
                    }
                    idx[r][count[r]] = j;
                    bits[r][count[r]++] = Float.floatToIntBits(s);
                }
            }
        }
        List<List<int[]>> out = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            out.add(List.of(java.util.Arrays.copyOf(idx[r], count[r]), java.util.Arrays.copyOf(bits[r], count[r])));
        }
        return out;
    }

    /** Dot product of two rows of flat arrays, with four partial sums: the JIT keeps them in separate registers (≈3× a single running sum).
     * Public for the fail-closed evaluation, which scores templates the same way. */
    public static float dot(float[] a, int ao, float[] b, int bo, int d) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int k = 0;
        for (; k + 3 < d; k += 4) {
            s0 += a[ao + k] * b[bo + k];
            s1 += a[ao + k + 1] * b[bo + k + 1];
            s2 += a[ao + k + 2] * b[bo + k + 2];
            s3 += a[ao + k + 3] * b[bo + k + 3];
        }
        for (; k < d; k++) {
            s0 += a[ao + k] * b[bo + k];
        }
        return (s0 + s1) + (s2 + s3);
    }

    private static void shuffle(int[] a, Random r) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static int[] renumber(int[] label) {
        int[] map = new int[label.length];
        java.util.Arrays.fill(map, -1);
        int next = 0;
        int[] out = new int[label.length];
        for (int i = 0; i < label.length; i++) {
            if (map[label[i]] < 0) {
                map[label[i]] = next++;
            }
            out[i] = map[label[i]];
        }
        return out;
    }
}
