package org.likeness.eval;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Score fusion as the bake-off computes it, and the one vector the fail-closed bench builds from it. */
class FusionEvalTest {
    private static float[] unit(Random r, int d) {
        float[] v = new float[d];
        for (int i = 0; i < d; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return Bakeoff.unit(v);
    }

    private static float dot(float[] a, float[] b) {
        float s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    @Test
    void theFusedVectorsCosineIsTheWeightedMeanOfTheMembersCosines() {
        Random r = new Random(5);
        List<String> ids = List.of("a", "b", "c");
        float[][] x = {unit(r, 8), unit(r, 8), unit(r, 4), unit(r, 4), unit(r, 6), unit(r, 6)};
        float[][] y = {unit(r, 8), unit(r, 8), unit(r, 4), unit(r, 4), unit(r, 6), unit(r, 6)};
        for (FusionEval.Variant v : FusionEval.variants(ids)) {
            double expected = 0;
            for (int i = 0; i < v.parts().length; i++) {
                expected += v.weights()[i] * dot(x[v.parts()[i]], y[v.parts()[i]]);
            }
            float[] fx = FusionEval.fused(v, x);
            assertThat((double) dot(fx, fx)).as(v.name()).isCloseTo(1, within(1e-5));
            assertThat((double) dot(fx, FusionEval.fused(v, y))).as(v.name()).isCloseTo(expected, within(1e-5));
        }
    }

    @Test
    void variantsAreSinglesWeightedPairsAndEveryPairAndTripleWithAndWithoutFlip() {
        List<FusionEval.Variant> v = FusionEval.variants(List.of("a", "b", "c", "d"));
        // 4 singles + 3 weighted pairs x 3 weights + 6 pairs + 4 triples, each with and without flip
        assertThat(v).hasSize(2 * (4 + 3 * FusionEval.FIRST_WEIGHTS.length + 6 + 4));
        assertThat(v).extracting(FusionEval.Variant::name).doesNotHaveDuplicates()
                .contains("a", "d +flip", "a x0.8 & c x0.2", "a & b & d +flip");
        assertThat(FusionEval.variant(List.of("a", "b", "c", "d"), "b & c +flip").parts()).containsExactly(3, 5);
    }

    @Test
    void theThresholdLetsThroughAtMostTheAskedShareAndTransfersExactly() {
        // 40 people x 3 photos; a person's photos share a direction, so genuine pairs score high
        Random r = new Random(9);
        List<String> paths = new ArrayList<>();
        List<float[][]> vectors = new ArrayList<>();
        for (int p = 0; p < 40; p++) {
            float[] centre = unit(r, 16);
            for (int k = 0; k < 3; k++) {
                float[] v = new float[16];
                for (int i = 0; i < 16; i++) {
                    v[i] = centre[i] + 0.3f * (float) r.nextGaussian();
                }
                paths.add("p" + p + "/" + k + ".jpg");
                vectors.add(new float[][]{Bakeoff.unit(v), Bakeoff.unit(v)});
            }
        }
        FusionEval eval = new FusionEval(paths, vectors);
        FusionEval.Variant single = FusionEval.variant(List.of("m"), "m");
        FusionEval.Result res = eval.evaluate(single, List.of());
        assertThat(res.genuine()).isEqualTo(40 * 3);
        assertThat(res.impostors()).isEqualTo(120L * 119 / 2 - 120);
        FusionEval.Transfer t = eval.transfer(single, res.thr1e4());
        assertThat(t.falseMatches()).isLessThanOrEqualTo((long) Math.floor(1e-4 * res.impostors()));
        assertThat(t.tar()).isCloseTo(res.tar1e4(), within(1e-12));
        FusionEval.Transfer lower = eval.transfer(single, Math.nextDown((float) res.thr1e4()) - 1e-3);
        assertThat(lower.falseMatches()).isGreaterThan(t.falseMatches());
    }

    @Test
    void aListedPairOfAHalfsPersonWithNoFaceAtAllCountsAsEvalPairsCountsIt() {
        // two people of the tuning half: one with faces, one whose photos all had none; `eval pairs` scores the
        // latter's listed pairs -1 (a miss for "same"), so the bake-off must not drop them
        List<String> names = java.util.stream.IntStream.range(0, 1000).mapToObj(i -> "person" + i)
                .filter(n -> PersonSplit.of(n) == PersonSplit.TUNING).limit(3).toList();
        String seen = names.get(0), faceless = names.get(1), other = names.get(2);
        float[] a = {1, 0}, b = {0.6f, 0.8f}, c = {0, 1};
        FusionEval eval = new FusionEval(List.of(seen + "/1.jpg", seen + "/2.jpg", other + "/1.jpg"),
                List.of(new float[][]{a, a}, new float[][]{b, b}, new float[][]{c, c})).half(PersonSplit.TUNING);
        FusionEval.Variant single = FusionEval.variant(List.of("m"), "m");
        List<Pair> listed = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            listed.add(new Pair(seen + "/1.jpg", seen + "/2.jpg", true, -1)); // scores 0.6
            listed.add(new Pair(seen + "/1.jpg", other + "/1.jpg", false, -1)); // scores 0
            listed.add(new Pair(faceless + "/1.jpg", faceless + "/2.jpg", true, -1)); // no face: -1, a miss
        }
        // dropped, the other 20 pairs separate perfectly (accuracy 1); counted, a third of the pairs are misses
        assertThat(eval.evaluate(single, listed).pairs().accuracy()).isLessThan(0.9);
    }

    @Test
    void aHalfWithoutImpostorPairsHasNoThresholdInsteadOfFailing() {
        float[] a = {1, 0}, b = {0.6f, 0.8f};
        FusionEval eval = new FusionEval(List.of("p/1.jpg", "p/2.jpg"), List.of(new float[][]{a, a}, new float[][]{b, b}));
        FusionEval.Result r = eval.evaluate(FusionEval.variant(List.of("m"), "m"), List.of());
        assertThat(r.impostors()).isZero();
        assertThat(r.thr1e6()).isNaN();
        assertThat(r.tar1e6()).isNaN();
    }
}
