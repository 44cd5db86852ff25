package org.likeness.cluster;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The matrix-product edges against the Java loops (the oracle): the same pairs, the same similarities to float rounding. */
class GemmEdgesTest {
    @Test
    void sameEdgesAsTheLoops() throws Exception {
        int n = 700;
        int d = 512;
        Random r = new Random(7);
        float[] data = new float[n * d];
        // clusters of near copies around 70 centres, so that many pairs lie near the threshold
        float[][] centres = new float[70][d];
        for (float[] c : centres) {
            for (int k = 0; k < d; k++) {
                c[k] = (float) r.nextGaussian();
            }
        }
        for (int i = 0; i < n; i++) {
            double norm = 0;
            for (int k = 0; k < d; k++) {
                float v = centres[i % 70][k] + (float) (r.nextGaussian() * (0.5 + 0.8 * r.nextDouble()));
                data[i * d + k] = v;
                norm += v * v;
            }
            for (int k = 0; k < d; k++) {
                data[i * d + k] /= (float) Math.sqrt(norm);
            }
        }
        float threshold = 0.5f;
        List<List<int[]>> gemm = GemmEdges.upper(data, n, d, threshold, 2);
        List<List<int[]>> loops = ChineseWhispers.upperByLoops(data, n, d, threshold);
        int edges = 0;
        int nearThreshold = 0;
        for (int i = 0; i < n; i++) {
            int[] a = gemm.get(i).get(0);
            int[] b = loops.get(i).get(0);
            if (!java.util.Arrays.equals(a, b)) {
                // only a pair within float rounding of the threshold may differ
                java.util.Set<Integer> sa = new java.util.HashSet<>();
                for (int j : a) {
                    sa.add(j);
                }
                java.util.Set<Integer> sb = new java.util.HashSet<>();
                for (int j : b) {
                    sb.add(j);
                }
                java.util.Set<Integer> diff = new java.util.HashSet<>(sa);
                diff.addAll(sb);
                sa.retainAll(sb);
                diff.removeAll(sa);
                for (int j : diff) {
                    assertThat(Math.abs(ChineseWhispers.dot(data, i * d, data, j * d, d) - threshold)).isLessThan(1e-5f);
                    nearThreshold++;
                }
            }
            for (int k = 0; k < Math.min(a.length, b.length); k++) {
                if (a[k] == b[k]) {
                    assertThat(Float.intBitsToFloat(gemm.get(i).get(1)[k])).isCloseTo(Float.intBitsToFloat(loops.get(i).get(1)[k]),
                            org.assertj.core.data.Offset.offset(1e-5f));
                }
            }
            edges += b.length;
        }
        assertThat(edges).as("the data must have edges to compare").isGreaterThan(1000);
        assertThat(nearThreshold).isLessThanOrEqualTo(2);
    }
}
