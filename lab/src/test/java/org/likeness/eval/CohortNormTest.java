package org.likeness.eval;

import org.junit.jupiter.api.Test;
import org.likeness.eval.FailClosedEval.LabelledFace;
import org.likeness.face.Box;
import org.likeness.face.Embedding;
import org.likeness.face.Face;
import org.likeness.face.FaceQuality;
import org.likeness.face.Landmarks;
import org.likeness.face.ProbeGate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Cohort score normalisation of {@code bench failclosed --norm}, on a synthetic gallery built so that only template-side
 * normalisation can tell: a "hub" template lies close to the direction every face shares, so it scores every stranger
 * higher than the genuine probe scores its own subject; Z-norm (the template's cohort mean and deviation) demotes it.
 */
class CohortNormTest {
    private static final int D = 256;
    /** Weight of the direction every face shares (face-like vectors are not centred). */
    private static final double SHARED = 0.55;
    private static final double HUB_SHARED = 0.95;

    private final Random random = new Random(20261129);

    private float[] gaussian() {
        float[] g = new float[D];
        for (int i = 1; i < D; i++) {
            g[i] = (float) random.nextGaussian();
        }
        return FailClosedEval.unit(g);
    }

    /** a·u + b·g1 + c·g2 (u the shared direction), normalised. */
    private static float[] mix(double a, double b, float[] g1, double c, float[] g2) {
        float[] v = new float[D];
        v[0] = (float) a;
        for (int i = 1; i < D; i++) {
            v[i] = (float) (b * g1[i] + (g2 == null ? 0 : c * g2[i]));
        }
        return FailClosedEval.unit(v);
    }

    private float[] population() {
        return mix(SHARED, Math.sqrt(1 - SHARED * SHARED), gaussian(), 0, null);
    }

    private static LabelledFace face(String person, int n, float[] unit) {
        Face f = new Face(new Box(0, 0, 100, 100), 0.99f, new Landmarks(new float[10]), new FaceQuality(0.9f, 50f, 100f),
                new Embedding("synthetic", unit));
        return new LabelledFace(person, person + "/" + n + ".jpg", f, unit);
    }

    /** The people of the measured half: hub and subject enrolled (every other person with ≥ 2 photos), the rest strangers. */
    private Map<String, List<LabelledFace>> half(float[] subjectTemplate, float[] genuineProbe) {
        Map<String, List<LabelledFace>> m = new TreeMap<>();
        float[] hub = mix(HUB_SHARED, Math.sqrt(1 - HUB_SHARED * HUB_SHARED), gaussian(), 0, null);
        m.put("a_hub", List.of(face("a_hub", 1, hub), face("a_hub", 2, hub)));
        m.put("b_between", List.of(face("b_between", 1, population()), face("b_between", 2, population())));
        m.put("c_subject", List.of(face("c_subject", 1, subjectTemplate), face("c_subject", 2, genuineProbe)));
        for (int i = 0; i < 40; i++) {
            String p = String.format("s%02d", i);
            m.put(p, List.of(face(p, 1, population())));
        }
        return m;
    }

    private List<LabelledFace> cohort(int n) {
        List<LabelledFace> c = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            c.add(face(String.format("cohort%03d", i), 1, population()));
        }
        return c;
    }

    @Test
    void zNormDemotesAHubTemplateThatOutscoresTheGenuineProbeAgainstEveryStranger() {
        float[] g = gaussian();
        float[] subject = mix(SHARED, Math.sqrt(1 - SHARED * SHARED), g, 0, null);
        // the genuine probe shares 30 % of the subject's own direction: a weak but real match
        float[] probe = mix(SHARED, Math.sqrt(1 - SHARED * SHARED) * 0.3, g, Math.sqrt(1 - SHARED * SHARED) * Math.sqrt(1 - 0.09), gaussian());
        FailClosedEval.Gallery gallery = new FailClosedEval.Gallery(half(subject, probe), Map.of(), 1, 0);
        assertThat(gallery.subjects).containsExactly("a_hub", "c_subject");
        assertThat(gallery.genuine).hasSize(2);
        int genuine = 1; // the subject's probe (the hub's own probe is its template again)

        FailClosedEval.Ranks raw = gallery.rank(FailClosedEval.Scoring.MAX);
        // raw: the hub even takes the subject's own probe, and it outscores the subject with some stranger
        assertThat(raw.genuine()[genuine].best()).isEqualTo(0);
        float rawOwn = raw.genuine()[genuine].secondScore();
        assertThat(max(raw.strangers())).isGreaterThan(rawOwn);
        FailClosedEval.Outcome rawAtOwn = raw.decide(rawOwn, 0, ProbeGate.NONE, 0);
        assertThat(rawAtOwn.strangersConsented()).isGreaterThan(0);
        assertThat(rawAtOwn.wrongSubject()).isEqualTo(1);

        CohortNorm z = new CohortNorm(CohortNorm.Mode.Z, 0, cohort(300));
        FailClosedEval.Ranks zr = gallery.rank(FailClosedEval.Scoring.MAX, z);
        float zGenuine = zr.genuine()[genuine].bestScore();
        assertThat(zr.genuine()[genuine].best()).isEqualTo(1);
        assertThat(max(zr.strangers())).as("z-norm: every stranger below the genuine probe").isLessThan(zGenuine);
        FailClosedEval.Outcome zAtGenuine = zr.decide(zGenuine, 0, ProbeGate.NONE, 0);
        assertThat(zAtGenuine.strangersConsented()).isZero();
        assertThat(zAtGenuine.recognised()).isEqualTo(2);

        // probe-side normalisation cannot demote the hub: a stranger's own cohort statistics are the genuine probe's
        CohortNorm t = new CohortNorm(CohortNorm.Mode.T, 0, cohort(300));
        FailClosedEval.Ranks tr = gallery.rank(FailClosedEval.Scoring.MAX, t);
        assertThat(max(tr.strangers())).isGreaterThan(tr.genuine()[genuine].bestScore());
    }

    private static float max(FailClosedEval.Ranked[] r) {
        float m = Float.NEGATIVE_INFINITY;
        for (FailClosedEval.Ranked x : r) {
            m = Math.max(m, x.bestScore());
        }
        return m;
    }

    @Test
    void aFacesOwnPersonAndThePairsOtherPersonAreLeftOutOfItsCohortStatistics() {
        List<LabelledFace> cohort = cohort(50);
        float[] v = cohort.get(7).unit(); // a template that IS cohort member 7 (its own person)
        LabelledFace other = cohort.get(9);
        for (int top : new int[]{0, 10}) {
            CohortNorm n = new CohortNorm(CohortNorm.Mode.Z, top, cohort);
            CohortNorm.Side template = n.side(v, cohort.get(7).person());
            CohortNorm.Side probe = n.side(other.unit(), other.person());
            List<Double> kept = new ArrayList<>();
            for (int c = 0; c < cohort.size(); c++) {
                if (c != 7 && c != 9) {
                    kept.add((double) FailClosedEval.dot(cohort.get(c).unit(), 0, v, 0, D));
                }
            }
            kept.sort((a, b) -> Double.compare(b, a));
            List<Double> used = top == 0 ? kept : kept.subList(0, top);
            double mean = used.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            double var = used.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum() / used.size();
            float raw = FailClosedEval.dot(v, 0, other.unit(), 0, D);
            assertThat(n.normalise(raw, template, probe)).as("top %d", top)
                    .isCloseTo((float) ((raw - mean) / Math.sqrt(var)), within(1e-3f));
            CohortNorm c = new CohortNorm(CohortNorm.Mode.C, top, cohort);
            assertThat(c.normalise(raw, c.side(v, cohort.get(7).person()), c.side(other.unit(), other.person())))
                    .isCloseTo((float) (raw - mean), within(1e-5f));
        }
    }

    @Test
    void normalisedCalibrationLetsThroughAtMostTheAskedShareOfNormalisedImpostorComparisons() {
        Map<String, List<LabelledFace>> half = new TreeMap<>();
        for (int p = 0; p < 60; p++) {
            String name = String.format("p%02d", p);
            float[] g = gaussian();
            List<LabelledFace> fs = new ArrayList<>();
            for (int k = 0; k < 1 + p % 3; k++) {
                fs.add(face(name, k, mix(SHARED, Math.sqrt(1 - SHARED * SHARED) * 0.7, g, Math.sqrt(1 - SHARED * SHARED) * 0.71, gaussian())));
            }
            half.put(name, fs);
        }
        // the cohort is made of people of the half itself: the pair's own people must be left out
        CohortNorm norm = new CohortNorm(CohortNorm.Mode.S, 0, CohortNorm.choose(half, 30));
        NormImpostors imp = NormImpostors.of(new NormImpostors.RawPairs(half), norm);
        List<LabelledFace> all = new NormImpostors.RawPairs(half).faces();
        for (double fmr : new double[]{1e-3, 5e-3}) {
            FailClosedEval.Calibration c = imp.threshold(fmr, null);
            long above = 0;
            long total = 0;
            for (LabelledFace a : all) {
                for (LabelledFace b : all) {
                    if (!a.person().equals(b.person())) {
                        total++;
                        float s = norm.normalise(FailClosedEval.dot(a.unit(), 0, b.unit(), 0, D),
                                norm.side(b.unit(), b.person()), norm.side(a.unit(), a.person()));
                        above += s >= c.threshold() ? 1 : 0;
                    }
                }
            }
            assertThat(c.comparisons()).isEqualTo(total);
            assertThat(above).as("fmr %s", fmr).isEqualTo(c.above()).isLessThanOrEqualTo((long) Math.floor(fmr * total));
            assertThat(above + 1).isGreaterThan((long) Math.floor(fmr * total)); // the lowest such threshold
        }
    }
}
