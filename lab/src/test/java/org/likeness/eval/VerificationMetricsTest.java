package org.likeness.eval;

import org.junit.jupiter.api.Test;
import org.likeness.SharedData;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

class VerificationMetricsTest {
    @Test
    void separableScoresGiveFullAccuracyAndZeroEer() {
        int n = 400;
        double[] s = new double[n];
        boolean[] same = new boolean[n];
        for (int i = 0; i < n; i++) {
            same[i] = i % 2 == 0;
            s[i] = same[i] ? 0.6 + i * 1e-4 : 0.1 + i * 1e-4;
        }
        VerificationMetrics m = VerificationMetrics.compute(s, same, null);
        assertThat(m.accuracy()).isEqualTo(1.0);
        assertThat(m.eer()).isEqualTo(0.0);
        assertThat(m.threshold()).isBetween(0.14, 0.6);
        assertThat(m.tarAtFmr1e3()).isEqualTo(1.0);
    }

    @Test
    void overlappingGaussiansMatchTheirTheoreticalAccuracy() {
        // genuine ~ N(1,1), impostor ~ N(-1,1): best threshold 0, accuracy Φ(1) ≈ 0.8413, EER ≈ 0.1587
        Random r = new Random(7);
        int n = 20000;
        double[] s = new double[n];
        boolean[] same = new boolean[n];
        for (int i = 0; i < n; i++) {
            same[i] = i % 2 == 0;
            s[i] = r.nextGaussian() + (same[i] ? 1 : -1);
        }
        VerificationMetrics m = VerificationMetrics.compute(s, same, null);
        assertThat(m.accuracy()).isCloseTo(0.8413, offset(0.01));
        assertThat(m.eer()).isCloseTo(0.1587, offset(0.01));
        assertThat(m.threshold()).isCloseTo(0.0, offset(0.1));
    }

    @Test
    void thresholdAtFmrAdmitsAtMostTheAllowedImpostors() {
        double[] imp = new double[10_000];
        for (int i = 0; i < imp.length; i++) {
            imp[i] = i / 10_000.0;
        }
        double t = VerificationMetrics.thresholdAtFmr(imp, 1e-3);
        long above = java.util.Arrays.stream(imp).filter(x -> x >= t).count();
        assertThat(above).isEqualTo(10);
    }

    @Test
    void impostorCalibrationAgreesWithBruteForce() {
        Random r = new Random(3);
        int n = 300, d = 16;
        List<float[]> vs = new java.util.ArrayList<>();
        int[] id = new int[n];
        for (int i = 0; i < n; i++) {
            float[] v = new float[d];
            double s = 0;
            for (int k = 0; k < d; k++) {
                v[k] = (float) r.nextGaussian();
                s += v[k] * v[k];
            }
            for (int k = 0; k < d; k++) {
                v[k] /= (float) Math.sqrt(s);
            }
            vs.add(v);
            id[i] = i / 3;
        }
        ImpostorCalibration c = ImpostorCalibration.compute(vs, id, 1e-2);
        long imp = 0, above = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (id[i] != id[j]) {
                    imp++;
                    float s = 0;
                    for (int k = 0; k < d; k++) {
                        s += vs.get(i)[k] * vs.get(j)[k];
                    }
                    if (s >= c.threshold()) {
                        above++;
                    }
                }
            }
        }
        assertThat(c.impostors()).isEqualTo(imp);
        assertThat((double) above / imp).isLessThanOrEqualTo(1e-2);
        assertThat((double) above / imp).isGreaterThan(0.5e-2); // tight: not a trivially high threshold
    }

    @Test
    void lfwDevTrainPairsParse() throws Exception {
        var file = SharedData.require("lfw-dev/pairsDevTrain.txt");
        List<Pair> pairs = PairsFile.read(file);
        assertThat(pairs).hasSize(2200);
        assertThat(pairs.get(0)).isEqualTo(new Pair("Aaron_Peirsol/Aaron_Peirsol_0001.jpg", "Aaron_Peirsol/Aaron_Peirsol_0002.jpg", true, -1));
        assertThat(pairs.stream().filter(Pair::same).count()).isEqualTo(1100);
    }
}
