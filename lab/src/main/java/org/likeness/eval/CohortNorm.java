package org.likeness.eval;

import org.likeness.eval.FailClosedEval.LabelledFace;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Cohort score normalisation for {@code bench failclosed --norm} (docs/BENCHMARKS.md "Score normalisation"): a raw
 * cosine similarity s between a probe and a template is replaced by how far it stands above what that template (Z-norm),
 * that probe (T-norm) or both (S-norm: the mean of the two) score against a fixed cohort of strangers' faces:
 * (s − μ) / σ. With {@code top} &gt; 0 (adaptive) μ and σ are those of the side's {@code top} best cohort scores only.
 * The cohort is one face each of people of the tuning half ({@link #choose}); whatever face is compared, the cohort faces
 * of the probe's and the template's own people are left out of both sides' statistics, so the cohort never holds
 * either person of the pair it normalises.
 */
public final class CohortNorm {
    /** Floor of a cohort standard deviation (cosine units): a degenerate cohort never divides by ~0. */
    static final double MIN_SIGMA = 1e-3;

    /** Which side's cohort statistics normalise a score. */
    public enum Mode {
        /** The raw cosine similarity. */
        NONE,
        /** Template side: (s − μ_t) / σ_t (statistics fixed at enrolment). */
        Z,
        /** Probe side: (s − μ_p) / σ_p. */
        T,
        /** Symmetric: the mean of the Z- and T-normalised scores. */
        S,
        /** Template side, centred only: s − μ_t (cosine units; tells the shift from the division by σ). */
        C;

        /** Whether scores stay in cosine units (no division by a σ). */
        public boolean cosineUnits() {
            return this == NONE || this == C;
        }

        public static Mode parse(String s) {
            return valueOf(s.toUpperCase(Locale.ROOT));
        }
    }

    private final Mode mode;
    private final int top;
    private final List<String> people;
    private final float[] flat;
    private final int d;
    private final Map<String, Integer> indexOf = new HashMap<>();

    /**
     * @param mode   which side normalises
     * @param top    0: the whole cohort's μ and σ; &gt; 0: those of a side's {@code top} best cohort scores (adaptive)
     * @param cohort one face per person, never two of one person
     */
    public CohortNorm(Mode mode, int top, List<LabelledFace> cohort) {
        if (top < 0 || (top > 0 && top + 2 > cohort.size())) {
            throw new IllegalArgumentException("cohort top " + top + " needs 0 or at most " + (cohort.size() - 2) + " (cohort of " + cohort.size() + ")");
        }
        this.mode = mode;
        this.top = top;
        this.people = new ArrayList<>();
        this.d = cohort.isEmpty() ? 0 : cohort.get(0).unit().length;
        this.flat = new float[cohort.size() * d];
        for (int i = 0; i < cohort.size(); i++) {
            LabelledFace f = cohort.get(i);
            if (indexOf.put(f.person(), i) != null) {
                throw new IllegalArgumentException("cohort holds two faces of " + f.person());
            }
            people.add(f.person());
            System.arraycopy(f.unit(), 0, flat, i * d, d);
        }
    }

    /**
     * The cohort of {@code size} people of one half: people ordered by SHA-256("likeness-cohort-v1\0" + name), the
     * first {@code size} taken, each by their first photo in scan order. Deterministic and independent of any score.
     */
    public static List<LabelledFace> choose(Map<String, List<LabelledFace>> half, int size) {
        if (size > half.size()) {
            throw new IllegalArgumentException("a cohort of " + size + " people needs as many people; the half has " + half.size());
        }
        List<String> names = new ArrayList<>(half.keySet());
        Map<String, String> key = new HashMap<>();
        for (String n : names) {
            key.put(n, hex(n));
        }
        names.sort(Comparator.comparing(key::get));
        List<LabelledFace> out = new ArrayList<>();
        for (String n : names.subList(0, size)) {
            out.add(half.get(n).get(0));
        }
        return out;
    }

    private static String hex(String name) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(("likeness-cohort-v1\0" + name).getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder();
            for (byte b : h) {
                sb.append(String.format(Locale.ROOT, "%02x", b));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    public Mode mode() {
        return mode;
    }

    public int top() {
        return top;
    }

    public int size() {
        return people.size();
    }

    public String label() {
        return mode == Mode.NONE ? "none" : (mode == Mode.C ? "z-centring" : mode.name().toLowerCase(Locale.ROOT) + "-norm") + ", cohort " + size()
                + (top > 0 ? ", adaptive top " + top : ", whole cohort");
    }

    /** A face's similarities to the cohort, with what its statistics need. */
    public Side side(float[] unit, String person) {
        float[] sims = new float[people.size()];
        for (int c = 0; c < sims.length; c++) {
            sims[c] = FailClosedEval.dot(flat, c * d, unit, 0, d);
        }
        return new Side(sims, indexOf.getOrDefault(person, -1), top);
    }

    /** Sides of many faces, in parallel. */
    public Side[] sides(List<LabelledFace> faces) {
        return faces.parallelStream().map(f -> side(f.unit(), f.person())).toArray(Side[]::new);
    }

    /** The normalised score of a raw similarity between a probe and a template. */
    public float normalise(float raw, Side template, Side probe) {
        return switch (mode) {
            case NONE -> raw;
            case Z -> template.z(raw, template.own, probe.own);
            case T -> probe.z(raw, template.own, probe.own);
            case S -> 0.5f * (template.z(raw, template.own, probe.own) + probe.z(raw, template.own, probe.own));
            case C -> (float) (raw - template.meanSigma(template.own, probe.own)[0]);
        };
    }

    /**
     * The median σ of a set of sides (whole statistics, own person left out): converts a cosine margin to this scale
     * (1 when scores stay in cosine units).
     */
    public double medianSigma(Side[] sides) {
        if (mode.cosineUnits()) {
            return 1;
        }
        double[] s = new double[sides.length];
        for (int i = 0; i < sides.length; i++) {
            s[i] = sides[i].sigma(sides[i].own, -1);
        }
        java.util.Arrays.sort(s);
        return s.length == 0 ? 1 : s[s.length / 2];
    }

    /** Percentiles 1, 50 and 99 of the sides' cohort μ and σ (own person left out): "μ a/b/c, σ d/e/f". */
    public static String spread(Side[] sides) {
        double[] mu = new double[sides.length];
        double[] sd = new double[sides.length];
        for (int i = 0; i < sides.length; i++) {
            double[] ms = sides[i].meanSigma(sides[i].own, -1);
            mu[i] = ms[0];
            sd[i] = ms[1];
        }
        java.util.Arrays.sort(mu);
        java.util.Arrays.sort(sd);
        int n = sides.length - 1;
        return String.format(Locale.ROOT, "cohort mu %.4f/%.4f/%.4f, sigma %.4f/%.4f/%.4f (percentiles 1/50/99)",
                mu[n / 100], mu[n / 2], mu[n * 99 / 100], sd[n / 100], sd[n / 2], sd[n * 99 / 100]);
    }

    /** One face's similarities to the cohort: sums for the whole cohort, the best {@code top + 2} for the adaptive rule. */
    public static final class Side {
        final float[] sims;
        final int own;
        private final int top;
        private final double sum;
        private final double sumSq;
        /** The best {@code top + 2} cohort indices, best first, and prefix sums of their scores and squares. */
        private final int[] best;
        private final double[] prefix;
        private final double[] prefixSq;

        Side(float[] sims, int own, int top) {
            this.sims = sims;
            this.own = own;
            this.top = top;
            double s = 0;
            double q = 0;
            for (float v : sims) {
                s += v;
                q += (double) v * v;
            }
            sum = s;
            sumSq = q;
            if (top > 0) {
                int m = Math.min(sims.length, top + 2);
                best = topIndices(sims, m);
                prefix = new double[m + 1];
                prefixSq = new double[m + 1];
                for (int i = 0; i < m; i++) {
                    double v = sims[best[i]];
                    prefix[i + 1] = prefix[i] + v;
                    prefixSq[i + 1] = prefixSq[i] + v * v;
                }
            } else {
                best = null;
                prefix = null;
                prefixSq = null;
            }
        }

        private static int[] topIndices(float[] v, int m) {
            Integer[] idx = new Integer[v.length];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = i;
            }
            java.util.Arrays.sort(idx, (a, b) -> Float.compare(v[b], v[a]));
            int[] out = new int[m];
            for (int i = 0; i < m; i++) {
                out[i] = idx[i];
            }
            return out;
        }

        /** (raw − μ) / σ with cohort members x and y (−1: none) left out. */
        float z(float raw, int x, int y) {
            double[] ms = meanSigma(x, y);
            return (float) ((raw - ms[0]) / ms[1]);
        }

        double sigma(int x, int y) {
            return meanSigma(x, y)[1];
        }

        double[] meanSigma(int x, int y) {
            if (x == y) {
                y = -1;
            }
            double s;
            double q;
            long n;
            if (top == 0) {
                s = sum;
                q = sumSq;
                n = sims.length;
                for (int e : new int[]{x, y}) {
                    if (e >= 0) {
                        s -= sims[e];
                        q -= (double) sims[e] * sims[e];
                        n--;
                    }
                }
            } else {
                int px = position(x);
                int py = position(y);
                if (px > py) {
                    int t = px;
                    px = py;
                    py = t;
                }
                int len = top;
                s = 0;
                q = 0;
                for (int p : new int[]{px, py}) {
                    if (p >= 0 && p < len) {
                        s -= prefix[p + 1] - prefix[p];
                        q -= prefixSq[p + 1] - prefixSq[p];
                        len++;
                    }
                }
                s += prefix[len];
                q += prefixSq[len];
                n = top;
            }
            double mean = s / n;
            double var = Math.max(0, q / n - mean * mean);
            return new double[]{mean, Math.max(MIN_SIGMA, Math.sqrt(var))};
        }

        /** Position of cohort member e among the best (−1: not among them, or e is −1). */
        private int position(int e) {
            if (e < 0 || sims[e] < sims[best[best.length - 1]]) {
                return -1;
            }
            for (int i = 0; i < best.length; i++) {
                if (best[i] == e) {
                    return i;
                }
            }
            return -1;
        }
    }
}
