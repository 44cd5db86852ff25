package org.likeness.cluster;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ComponentsTest {
    @Test
    void joinsTransitivelyAndKeepsOthersApart() {
        Components c = new Components(6);
        c.join(0, 2);
        c.join(2, 4);
        c.join(1, 5);
        assertThat(c.groups()).containsExactly(List.of(0, 2, 4), List.of(1, 5), List.of(3));
    }

    @Test
    void agreesWithAFloodFillOracle() {
        Random r = new Random(11);
        int n = 300;
        boolean[][] edge = new boolean[n][n];
        Components c = new Components(n);
        for (int k = 0; k < 250; k++) {
            int a = r.nextInt(n), b = r.nextInt(n);
            edge[a][b] = edge[b][a] = true;
            c.join(a, b);
        }
        int[] label = new int[n];
        java.util.Arrays.fill(label, -1);
        int comps = 0;
        for (int s = 0; s < n; s++) {
            if (label[s] >= 0) {
                continue;
            }
            java.util.ArrayDeque<Integer> q = new java.util.ArrayDeque<>(List.of(s));
            label[s] = comps;
            while (!q.isEmpty()) {
                int u = q.poll();
                for (int v = 0; v < n; v++) {
                    if (edge[u][v] && label[v] < 0) {
                        label[v] = comps;
                        q.add(v);
                    }
                }
            }
            comps++;
        }
        assertThat(c.groups()).hasSize(comps);
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                assertThat(c.find(a) == c.find(b)).isEqualTo(label[a] == label[b]);
            }
        }
    }
}
