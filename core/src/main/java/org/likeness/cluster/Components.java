package org.likeness.cluster;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Connected components of items 0..n−1 under {@link #join}: union-find with path halving. Not thread-safe. */
public final class Components {
    private final int[] parent;

    public Components(int n) {
        parent = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = i;
        }
    }

    /** Puts items a and b in the same component. */
    public void join(int a, int b) {
        parent[find(a)] = find(b);
    }

    /** The representative of item i's component. */
    public int find(int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    /** Every component as a list of items, in order of each component's smallest item. */
    public List<List<Integer>> groups() {
        Map<Integer, List<Integer>> byRoot = new LinkedHashMap<>();
        for (int i = 0; i < parent.length; i++) {
            byRoot.computeIfAbsent(find(i), k -> new ArrayList<>()).add(i);
        }
        return new ArrayList<>(byRoot.values());
    }
}
