package org.likeness.eval;

import org.likeness.eval.FailClosedEval.Calibration;
import org.likeness.eval.FailClosedEval.LabelledFace;
import org.likeness.face.ProbeGate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The impostor comparisons of a half in a normalised score space ({@link CohortNorm}): every ordered (probe, template)
 * pair of faces of different people, its raw similarity normalised with the cohort statistics of the template and/or the
 * probe, the cohort members of both people left out. A normalised score is not symmetric, so both orders are kept.
 * Only scores ≥ {@link #keepFrom} are kept; a threshold that would need lower ones is refused.
 */
public final class NormImpostors {
    /**
     * Normalised scores below this are never a threshold candidate at the gallery rule's FMR (≤ 1e-5): on the tuning
     * half of lfw-dev the Z-normalised impostor comparisons reach FMR 1.3e-5 at 5.16 (cohort 500; docs/BENCHMARKS.md
     * "Score normalisation"), and the adaptive variants' scores lie higher still.
     */
    public static final float KEEP_FROM = 2.5f;
    /**
     * The same for scores in cosine units ({@link CohortNorm.Mode#C}): centring on the best 50 of a 1,000-face cohort
     * subtracts ~0.22 (their mean), so the raw floor {@code FailClosedEval.KEEP_IMPOSTORS_FROM} (0.30) is lowered by it.
     */
    public static final float KEEP_FROM_COSINE = 0.08f;

    /** The raw similarities of every pair of a half's faces (i &lt; j), computed once for any normalisation. */
    public static final class RawPairs {
        final List<LabelledFace> faces;
        final int[] personOf;
        final int[] personSize;
        final float[] sim;

        public RawPairs(Map<String, List<LabelledFace>> half) {
            faces = new ArrayList<>();
            List<Integer> person = new ArrayList<>();
            personSize = new int[half.size()];
            int p = 0;
            for (List<LabelledFace> fs : half.values()) {
                for (LabelledFace f : fs) {
                    faces.add(f);
                    person.add(p);
                }
                personSize[p++] = fs.size();
            }
            personOf = person.stream().mapToInt(Integer::intValue).toArray();
            int n = faces.size();
            sim = new float[(int) ((long) n * (n - 1) / 2)];
            IntStream.range(0, n).parallel().forEach(i -> {
                float[] a = faces.get(i).unit();
                int base = rowStart(i, n);
                for (int j = i + 1; j < n; j++) {
                    sim[base + j - i - 1] = FailClosedEval.dot(a, 0, faces.get(j).unit(), 0, a.length);
                }
            });
        }

        static int rowStart(int i, int n) {
            return (int) ((long) i * (2L * n - i - 1) / 2);
        }

        public List<LabelledFace> faces() {
            return faces;
        }
    }

    private final RawPairs raw;
    private final float[] score;
    private final int[] probe;
    private final double medianSigma;
    private final String spread;
    private final float keepFrom;

    private NormImpostors(RawPairs raw, float[] score, int[] probe, double medianSigma, String spread, float keepFrom) {
        this.keepFrom = keepFrom;
        this.spread = spread;
        this.raw = raw;
        this.score = score;
        this.probe = probe;
        this.medianSigma = medianSigma;
    }

    /** Percentiles of the half's faces' cohort μ and σ. */
    public String spread() {
        return spread;
    }

    /** Normalised scores below this are not kept. */
    public static float keepFrom(CohortNorm.Mode mode) {
        return mode.cosineUnits() ? KEEP_FROM_COSINE : KEEP_FROM;
    }

    public float keepFrom() {
        return keepFrom;
    }

    /** The median cohort σ of the half's faces (cosine units): a cosine margin divided by it is a normalised margin. */
    public double medianSigma() {
        return medianSigma;
    }

    /** Every ordered impostor comparison of the half, normalised. */
    public static NormImpostors of(RawPairs raw, CohortNorm norm) {
        int n = raw.faces.size();
        CohortNorm.Side[] sides = norm.sides(raw.faces);
        float keep = keepFrom(norm.mode());
        List<long[]> kept = Collections.synchronizedList(new ArrayList<>());
        IntStream.range(0, n).parallel().forEach(i -> {
            List<long[]> mine = new ArrayList<>();
            int base = RawPairs.rowStart(i, n);
            for (int j = i + 1; j < n; j++) {
                if (raw.personOf[i] == raw.personOf[j]) {
                    continue;
                }
                float s = raw.sim[base + j - i - 1];
                float ij = norm.normalise(s, sides[j], sides[i]); // probe i, template j
                float ji = norm.normalise(s, sides[i], sides[j]); // probe j, template i
                if (ij >= keep) {
                    mine.add(new long[]{Float.floatToIntBits(ij), i});
                }
                if (ji >= keep) {
                    mine.add(new long[]{Float.floatToIntBits(ji), j});
                }
            }
            kept.addAll(mine);
        });
        kept.sort((x, y) -> Float.compare(Float.intBitsToFloat((int) y[0]), Float.intBitsToFloat((int) x[0])));
        float[] score = new float[kept.size()];
        int[] probe = new int[kept.size()];
        for (int k = 0; k < score.length; k++) {
            score[k] = Float.intBitsToFloat((int) kept.get(k)[0]);
            probe[k] = (int) kept.get(k)[1];
        }
        return new NormImpostors(raw, score, probe, norm.medianSigma(sides), CohortNorm.spread(sides), keep);
    }

    /** Ordered (probe, template) impostor comparisons whose probe passes the gate (null: every face). */
    public long comparisons(boolean[] probeOk) {
        return FailClosedEval.orderedComparisons(raw.personOf, raw.personSize, probeOk);
    }

    /**
     * The lowest normalised threshold at which at most {@code fmr} of the ordered impostor comparisons with a gated
     * probe reach it. Throws when that would need scores below {@link #keepFrom} (not kept).
     */
    public Calibration threshold(double fmr, boolean[] probeOk) {
        long total = comparisons(probeOk);
        long allowed = (long) Math.floor(fmr * total);
        long above = 0;
        for (int k = 0; k < score.length; k++) {
            int w = probeOk == null || probeOk[probe[k]] ? 1 : 0;
            if (above + w > allowed) {
                return new Calibration(fmr, Math.nextUp(score[k]), total, above);
            }
            above += w;
        }
        throw new IllegalStateException("FMR " + fmr + " needs normalised impostor scores below " + keepFrom + ", which are not kept");
    }

    /** Share of all ordered impostor comparisons at or above a normalised threshold (≥ {@link #keepFrom}). */
    public double fmrAt(float threshold) {
        long above = 0;
        for (float v : score) {
            if (v >= threshold) {
                above++;
            }
        }
        return (double) above / Math.max(1, comparisons(null));
    }

    public boolean[] passing(ProbeGate gate) {
        boolean[] ok = new boolean[raw.faces.size()];
        for (int i = 0; i < ok.length; i++) {
            ok[i] = gate.passes(raw.faces.get(i).face());
        }
        return ok;
    }
}
