package org.likeness.cluster;

import org.likeness.eval.ClusterMetrics;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

class ChineseWhispersTest {
    /** Unit vectors around {@code people} random centres; the noise keeps same-centre similarity near 0.9. */
    private static List<float[]> people(int people, int photos, long seed, int[] truth) {
        Random r = new Random(seed);
        int d = 64;
        List<float[]> out = new ArrayList<>();
        for (int p = 0; p < people; p++) {
            float[] c = unit(gauss(r, d, 1));
            for (int k = 0; k < photos; k++) {
                float[] v = gauss(r, d, 0.04f);
                for (int i = 0; i < d; i++) {
                    v[i] += c[i];
                }
                truth[out.size()] = p;
                out.add(unit(v));
            }
        }
        return out;
    }

    private static float[] gauss(Random r, int d, float s) {
        float[] v = new float[d];
        for (int i = 0; i < d; i++) {
            v[i] = (float) r.nextGaussian() * s;
        }
        return v;
    }

    private static float[] unit(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x * x;
        }
        for (int i = 0; i < v.length; i++) {
            v[i] /= (float) Math.sqrt(s);
        }
        return v;
    }

    @Test
    void separatesWellSeparatedPeople() {
        int[] truth = new int[40 * 5];
        List<float[]> v = people(40, 5, 5, truth);
        int[] label = ChineseWhispers.cluster(v, 0.6f, 1);
        ClusterMetrics m = ClusterMetrics.of(label, truth);
        assertThat(m.identitiesFound()).isEqualTo(40);
        assertThat(m.bcubedF()).isEqualTo(1.0);
    }

    @Test
    void isDeterministicForASeed() {
        int[] truth = new int[30 * 3];
        List<float[]> v = people(30, 3, 9, truth);
        assertThat(ChineseWhispers.cluster(v, 0.6f, 7)).containsExactly(ChineseWhispers.cluster(v, 0.6f, 7));
    }

    @Test
    void edgeFmrShrinksWithTheGraph() {
        assertThat(ChineseWhispers.edgeFmr(100)).isEqualTo(1e-4);
        assertThat(ChineseWhispers.edgeFmr(8446)).isCloseTo(2.37e-6, offset(1e-8));
    }

    @Test
    void metricsOfAKnownClustering() {
        // truth: {0,1,2} {3,4}; predicted: {0,1} {2,3,4}
        ClusterMetrics m = ClusterMetrics.of(new int[]{0, 0, 1, 1, 1}, new int[]{0, 0, 0, 1, 1});
        // precision per item: 1,1,1/3,2/3,2/3 → 11/15; recall: 2/3,2/3,1/3,1,1 → 11/15
        assertThat(m.bcubedPrecision()).isCloseTo(11.0 / 15, offset(1e-12));
        assertThat(m.bcubedRecall()).isCloseTo(11.0 / 15, offset(1e-12));
        // pairs together: 1 + 3 = 4, belonging: 3 + 1 = 4, right: (0,1) and (3,4) = 2
        assertThat(m.pairwisePrecision()).isEqualTo(0.5);
        assertThat(m.pairwiseRecall()).isEqualTo(0.5);
        assertThat(m.identitiesFound()).isEqualTo(2);
    }
}
