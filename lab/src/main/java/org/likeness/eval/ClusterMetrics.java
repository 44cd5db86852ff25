package org.likeness.eval;

import java.util.HashMap;
import java.util.Map;

/**
 * How well predicted clusters match true identities.
 * BCubed (Bagga & Baldwin 1998; Amigó et al. 2009): per item, precision = |its cluster ∩ its class| / |its cluster|,
 * recall = |its cluster ∩ its class| / |its class|, averaged over items. Pairwise: over all pairs of items, those put
 * together that belong together, over those put together (precision) or belonging together (recall).
 */
public record ClusterMetrics(double bcubedPrecision, double bcubedRecall, double bcubedF, double pairwisePrecision,
                             double pairwiseRecall, int identitiesFound, int identitiesTrue) {

    public static ClusterMetrics of(int[] predicted, int[] truth) {
        int n = predicted.length;
        Map<Long, Integer> both = new HashMap<>();
        Map<Integer, Integer> clusterSize = new HashMap<>();
        Map<Integer, Integer> classSize = new HashMap<>();
        for (int i = 0; i < n; i++) {
            both.merge(((long) predicted[i] << 32) | (truth[i] & 0xffffffffL), 1, Integer::sum);
            clusterSize.merge(predicted[i], 1, Integer::sum);
            classSize.merge(truth[i], 1, Integer::sum);
        }
        double p = 0, r = 0;
        for (int i = 0; i < n; i++) {
            int inter = both.get(((long) predicted[i] << 32) | (truth[i] & 0xffffffffL));
            p += (double) inter / clusterSize.get(predicted[i]);
            r += (double) inter / classSize.get(truth[i]);
        }
        p /= n;
        r /= n;
        long together = pairs(clusterSize), belong = pairs(classSize), right = pairs(both);
        return new ClusterMetrics(p, r, p + r == 0 ? 0 : 2 * p * r / (p + r),
                together == 0 ? 1 : (double) right / together, belong == 0 ? 1 : (double) right / belong,
                clusterSize.size(), classSize.size());
    }

    private static long pairs(Map<?, Integer> sizes) {
        long s = 0;
        for (int c : sizes.values()) {
            s += (long) c * (c - 1) / 2;
        }
        return s;
    }
}
