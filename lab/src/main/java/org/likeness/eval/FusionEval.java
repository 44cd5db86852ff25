package org.likeness.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Scores every pair of faces of one half of a labelled set under single embedders and their score-level fusions (the
 * mean of the members' cosine similarities, which is the cosine of the members' unit vectors concatenated, so a fusion
 * fits the registry's one-vector templates). For each variant: TAR at FMR 1e-4 and 1e-6 over <em>all</em>
 * cross-identity pairs of the half, and the LFW-protocol accuracy on the listed pairs that fall in the half.
 */
public final class FusionEval {
    /**
     * A variant: the base vectors it averages ({@code 2e} plain, {@code 2e+1} with flip), each with a weight (the
     * weights sum to 1; equal unless the name says otherwise).
     */
    public record Variant(String name, int[] parts, float[] weights) {
        Variant(String name, int[] parts) {
            this(name, parts, equal(parts.length));
        }

        private static float[] equal(int n) {
            float[] w = new float[n];
            java.util.Arrays.fill(w, 1f / n);
            return w;
        }
    }

    /** Weights tried for the first embedder in a weighted pair with each other one (the rest goes to the other). */
    public static final float[] FIRST_WEIGHTS = {0.9f, 0.8f, 0.7f};

    /** One variant's figures on one half. */
    public record Result(Variant variant, long genuine, long impostors, double thr1e4, double tar1e4, double thr1e6,
                         double tar1e6, VerificationMetrics pairs) {
    }

    /** What a threshold chosen elsewhere gives on this half. */
    public record Transfer(double threshold, long falseMatches, double fmr, double tar) {
    }

    private final int n;
    private final int[] person;
    private final float[][] base;
    private final Map<String, Integer> index = new HashMap<>();
    private final Map<String, Integer> people = new HashMap<>();

    /**
     * @param paths   photo paths (person/photo), in a fixed order
     * @param vectors per photo, the base vectors in {@link EmbedderBakeoff#vectors} order
     */
    public FusionEval(List<String> paths, List<float[][]> vectors) {
        this.n = paths.size();
        this.person = new int[n];
        for (int i = 0; i < n; i++) {
            String p = paths.get(i);
            person[i] = people.computeIfAbsent(p.substring(0, p.indexOf('/')), k -> people.size());
            index.put(p, i);
        }
        int bases = vectors.isEmpty() ? 0 : vectors.get(0).length;
        long pairs = (long) n * (n - 1) / 2;
        if (pairs > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(n + " faces: too many pairs for one array");
        }
        base = new float[bases][(int) pairs];
        IntStream.range(0, bases).parallel().forEach(b -> {
            float[] out = base[b];
            int k = 0;
            for (int i = 0; i < n; i++) {
                float[] a = vectors.get(i)[b];
                for (int j = i + 1; j < n; j++) {
                    out[k++] = dot(a, vectors.get(j)[b]);
                }
            }
        });
    }

    /** Singles with and without flip, then every fusion of two and of three embedders, with and without flip. */
    public static List<Variant> variants(List<String> ids) {
        List<Variant> out = new ArrayList<>();
        int e = ids.size();
        for (int flip = 0; flip < 2; flip++) {
            for (int a = 0; a < e; a++) {
                out.add(new Variant(ids.get(a) + (flip == 1 ? " +flip" : ""), new int[]{2 * a + flip}));
            }
        }
        for (int flip = 0; flip < 2; flip++) {
            for (int b = 1; b < e; b++) {
                for (float w : FIRST_WEIGHTS) {
                    out.add(new Variant(String.format(java.util.Locale.ROOT, "%s x%.1f & %s x%.1f%s", ids.get(0), w, ids.get(b),
                            1 - w, flip == 1 ? " +flip" : ""), new int[]{flip, 2 * b + flip}, new float[]{w, 1 - w}));
                }
            }
        }
        for (int size = 2; size <= Math.min(3, e); size++) {
            for (int flip = 0; flip < 2; flip++) {
                for (int[] c : combinations(e, size)) {
                    StringBuilder name = new StringBuilder();
                    int[] parts = new int[size];
                    for (int k = 0; k < size; k++) {
                        name.append(k == 0 ? "" : " & ").append(ids.get(c[k]));
                        parts[k] = 2 * c[k] + flip;
                    }
                    out.add(new Variant(name + (flip == 1 ? " +flip" : ""), parts));
                }
            }
        }
        return out;
    }

    /** The variant of that name among {@link #variants}. */
    public static Variant variant(List<String> ids, String name) {
        return variants(ids).stream().filter(v -> v.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no variant '" + name + "' of " + ids));
    }

    /**
     * One unit vector whose cosine with another's is the variant's fused score: the members' unit vectors, each scaled by
     * the square root of its weight, concatenated.
     */
    public static float[] fused(Variant v, float[][] base) {
        int dims = 0;
        for (int p : v.parts()) {
            dims += base[p].length;
        }
        float[] out = new float[dims];
        int at = 0;
        for (int i = 0; i < v.parts().length; i++) {
            float w = (float) Math.sqrt(v.weights()[i]);
            for (float x : base[v.parts()[i]]) {
                out[at++] = x * w;
            }
        }
        return out;
    }

    private static List<int[]> combinations(int n, int k) {
        List<int[]> out = new ArrayList<>();
        int[] c = IntStream.range(0, k).toArray();
        while (true) {
            out.add(c.clone());
            int i = k - 1;
            while (i >= 0 && c[i] == n - k + i) {
                i--;
            }
            if (i < 0) {
                return out;
            }
            c[i]++;
            for (int j = i + 1; j < k; j++) {
                c[j] = c[j - 1] + 1;
            }
        }
    }

    public int faces() {
        return n;
    }

    private float score(Variant v, int k) {
        float s = 0;
        int[] parts = v.parts();
        for (int i = 0; i < parts.length; i++) {
            s += v.weights()[i] * base[parts[i]][k];
        }
        return s;
    }

    /** Figures of one variant; {@code listed} are LFW-format pairs, those with both photos here are scored. */
    public Result evaluate(Variant v, List<Pair> listed) {
        long pairs = (long) n * (n - 1) / 2;
        float[] genuine = new float[(int) Math.min(pairs, 4_000_000)];
        int g = 0;
        float[] impostor = new float[(int) pairs];
        int m = 0;
        int k = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++, k++) {
                float s = score(v, k);
                if (person[i] == person[j]) {
                    if (g == genuine.length) {
                        genuine = Arrays.copyOf(genuine, 2 * g);
                    }
                    genuine[g++] = s;
                } else {
                    impostor[m++] = s;
                }
            }
        }
        float[] imp = Arrays.copyOf(impostor, m);
        Arrays.sort(imp);
        float[] gen = Arrays.copyOf(genuine, g);
        double t4 = thresholdAt(imp, 1e-4);
        double t6 = thresholdAt(imp, 1e-6);
        return new Result(v, g, m, t4, above(gen, t4), t6, above(gen, t6), pairsMetrics(v, listed));
    }

    /** The threshold a variant chose elsewhere, applied here: false matches among all impostor pairs, and TAR. */
    public Transfer transfer(Variant v, double threshold) {
        long fm = 0, imp = 0, tp = 0, gen = 0;
        int k = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++, k++) {
                boolean match = score(v, k) > threshold;
                if (person[i] == person[j]) {
                    gen++;
                    tp += match ? 1 : 0;
                } else {
                    imp++;
                    fm += match ? 1 : 0;
                }
            }
        }
        return new Transfer(threshold, fm, (double) fm / imp, (double) tp / gen);
    }

    /** The lowest score above which at most {@code fmr} of the (ascending) impostor scores lie. */
    static double thresholdAt(float[] ascending, double fmr) {
        if (ascending.length == 0) {
            return Double.NaN; // no impostor pairs (one person in the half): no threshold to choose
        }
        int allowed = (int) Math.floor(fmr * ascending.length);
        return ascending[ascending.length - 1 - allowed];
    }

    private static double above(float[] scores, double t) {
        if (Double.isNaN(t)) {
            return Double.NaN;
        }
        long c = 0;
        for (float s : scores) {
            if (s > t) {
                c++;
            }
        }
        return scores.length == 0 ? Double.NaN : (double) c / scores.length;
    }

    private VerificationMetrics pairsMetrics(Variant v, List<Pair> listed) {
        List<double[]> kept = new ArrayList<>();
        List<Boolean> same = new ArrayList<>();
        for (Pair p : listed) {
            String pa = p.a().substring(0, p.a().indexOf('/'));
            String pb = p.b().substring(0, p.b().indexOf('/'));
            // pairs of people this set holds (a listed photo of theirs with no face still counts, scored −1)
            // (with a half set, its people are those of the half, faces or not; without, those with a face here)
            if (!sameHalf(pa, pb) || (!halfSet() && (!people.containsKey(pa) || !people.containsKey(pb)))) {
                continue;
            }
            Integer a = index.get(p.a());
            Integer b = index.get(p.b());
            // a photo with no face scores as the least similar possible, as `eval pairs` does
            kept.add(new double[]{a == null || b == null ? -1 : pairScore(v, a, b)});
            same.add(p.same());
        }
        long sameCount = same.stream().filter(x -> x).count();
        if (sameCount < VerificationMetrics.FOLDS || kept.size() - sameCount < VerificationMetrics.FOLDS) {
            return null; // too few pairs for 10-fold cross-validation: no accuracy rather than a meaningless one
        }
        double[] s = kept.stream().mapToDouble(x -> x[0]).toArray();
        boolean[] b = new boolean[same.size()];
        for (int i = 0; i < b.length; i++) {
            b[i] = same.get(i);
        }
        return VerificationMetrics.compute(s, b, null);
    }

    private PersonSplit half;

    /** Which half these faces are (for the listed pairs whose photo had no face). */
    public FusionEval half(PersonSplit h) {
        this.half = h;
        return this;
    }

    private boolean halfSet() {
        return half != null && half != PersonSplit.ALL;
    }

    private boolean sameHalf(String a, String b) {
        if (half == null || half == PersonSplit.ALL) {
            return true;
        }
        return PersonSplit.of(a) == half && PersonSplit.of(b) == half;
    }

    private float pairScore(Variant v, int a, int b) {
        int i = Math.min(a, b), j = Math.max(a, b);
        if (i == j) {
            return 1;
        }
        long k = (long) i * n - (long) i * (i + 1) / 2 + (j - i - 1);
        return score(v, (int) k);
    }

    private static float dot(float[] a, float[] b) {
        float s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
