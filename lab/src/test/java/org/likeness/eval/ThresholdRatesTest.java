package org.likeness.eval;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ThresholdRatesTest {

    @Test
    void countsEveryPairAtOrAboveEachThresholdAsAPairwiseLoopDoes() {
        Random r = new Random(7);
        int n = 240, d = 8;
        List<float[]> vs = new ArrayList<>();
        int[] id = new int[n];
        for (int i = 0; i < n; i++) {
            float[] v = new float[d];
            double s = 0;
            for (int k = 0; k < d; k++) {
                v[k] = (float) r.nextGaussian() + (k == i % 5 ? 2f : 0f); // people share a direction: genuine pairs score high
                s += v[k] * v[k];
            }
            for (int k = 0; k < d; k++) {
                v[k] /= (float) Math.sqrt(s);
            }
            vs.add(v);
            id[i] = i % 5 + 5 * (i / 60);
        }
        float[] thresholds = {0.2f, 0.5f, 0.8f};
        List<ThresholdRates> rates = ThresholdRates.measure(vs, id, thresholds);
        for (int x = 0; x < thresholds.length; x++) {
            long imp = 0, gen = 0, fm = 0, tm = 0;
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    float s = 0;
                    for (int k = 0; k < d; k++) {
                        s += vs.get(i)[k] * vs.get(j)[k];
                    }
                    if (id[i] == id[j]) {
                        gen++;
                        tm += s >= thresholds[x] ? 1 : 0;
                    } else {
                        imp++;
                        fm += s >= thresholds[x] ? 1 : 0;
                    }
                }
            }
            ThresholdRates t = rates.get(x);
            assertThat(t.threshold()).isEqualTo(thresholds[x]);
            assertThat(t.impostors()).isEqualTo(imp).isEqualTo((long) n * (n - 1) / 2 - gen);
            assertThat(t.genuine()).isEqualTo(gen);
            assertThat(t.falseMatches()).isEqualTo(fm);
            assertThat(t.trueMatches()).isEqualTo(tm);
            assertThat(t.fmr()).isEqualTo((double) fm / imp);
            assertThat(t.tar()).isEqualTo((double) tm / gen);
        }
        assertThat(rates.get(0).trueMatches()).as("the data separates: a test of something").isGreaterThan(rates.get(2).trueMatches());
        assertThat(rates.get(0).falseMatches()).isGreaterThan(rates.get(2).falseMatches());
    }
}
