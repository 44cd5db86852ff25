package org.likeness.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.likeness.hash.HashIndex;
import org.likeness.hash.HashRobustness;
import org.likeness.hash.ImageTransform;
import org.likeness.hash.PdqHash;
import org.likeness.hash.PdqHasher;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Prints PDQ's robustness on LFW development photos: per edit, recall at distance 31 and mean distance (plain, and
 * against the best of the original's 8 dihedral variants), then the false-match rate among all distinct photos.
 *
 * <p>Usage: {@code java -Dlikeness.shared=../shared -cp target/likeness.jar:target/lib/* \
 * org.likeness.bench.HashRobustnessRun [recallPhotos=500] [fmrPhotos=all]}
 */
public final class HashRobustnessRun {

    private HashRobustnessRun() {
    }

    public static void main(String[] args) {
        int recallPhotos = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int fmrPhotos = args.length > 1 ? Integer.parseInt(args[1]) : Integer.MAX_VALUE;
        nu.pattern.OpenCV.loadLocally();
        recall(DevPhotos.sample(recallPhotos));
        falseMatches(DevPhotos.sample(fmrPhotos));
    }

    private static Mat decode(Path p) {
        Mat bgr = Imgcodecs.imread(p.toString(), Imgcodecs.IMREAD_COLOR);
        if (bgr.empty()) {
            throw new IllegalStateException("OpenCV could not decode " + p);
        }
        return bgr;
    }

    private static void recall(List<Path> photos) {
        HashRobustness robustness = new HashRobustness();
        Map<ImageTransform, long[]> sums = new EnumMap<>(ImageTransform.class); // matched, dist, dihMatched, dihDist
        for (ImageTransform t : ImageTransform.values()) {
            sums.put(t, new long[4]);
        }
        long start = System.nanoTime();
        for (Path p : photos) {
            for (HashRobustness.Measurement m : robustness.measure(decode(p))) {
                long[] s = sums.get(m.transform());
                s[0] += m.distance() <= HashIndex.MATCH_THRESHOLD ? 1 : 0;
                s[1] += m.distance();
                s[2] += m.dihedralDistance() <= HashIndex.MATCH_THRESHOLD ? 1 : 0;
                s[3] += m.dihedralDistance();
            }
        }
        int n = photos.size();
        System.out.printf("Robustness over %d LFW dev photos (%.0f s), threshold %d%n", n,
                (System.nanoTime() - start) / 1e9, HashIndex.MATCH_THRESHOLD);
        System.out.println("| edit | recall@31 | mean distance | recall@31 (dihedral) | mean distance (dihedral) |");
        System.out.println("|---|---:|---:|---:|---:|");
        for (ImageTransform t : ImageTransform.values()) {
            long[] s = sums.get(t);
            System.out.printf("| %s | %.3f | %.1f | %.3f | %.1f |%n", t.name(), (double) s[0] / n, (double) s[1] / n,
                    (double) s[2] / n, (double) s[3] / n);
        }
    }

    private static void falseMatches(List<Path> photos) {
        PdqHasher hasher = new PdqHasher();
        List<PdqHash> hashes = new ArrayList<>(photos.size());
        long start = System.nanoTime();
        int lowQuality = 0;
        for (Path p : photos) {
            var r = hasher.hash(decode(p));
            hashes.add(r.hash());
            lowQuality += r.useful() ? 0 : 1;
        }
        double hashSeconds = (System.nanoTime() - start) / 1e9;
        List<int[]> pairs = new ArrayList<>();
        start = System.nanoTime();
        long close = HashRobustness.closePairs(hashes, HashIndex.MATCH_THRESHOLD, pairs);
        long total = HashRobustness.pairCount(hashes.size());
        System.out.printf("%nFalse matches among %d distinct LFW dev photos (decode+hash %.0f s, %d below quality %d):"
                + " %d of %d pairs within %d (rate %.2e), compared in %.1f s%n", hashes.size(), hashSeconds,
                lowQuality, org.likeness.hash.PdqResult.MIN_USEFUL_QUALITY, close, total, HashIndex.MATCH_THRESHOLD,
                (double) close / total, (System.nanoTime() - start) / 1e9);
        Path root = DevPhotos.imagesDir();
        for (int[] pair : pairs.subList(0, Math.min(pairs.size(), 20))) {
            System.out.printf("  %s  %s  distance %d%n", root.relativize(photos.get(pair[0])),
                    root.relativize(photos.get(pair[1])), hashes.get(pair[0]).distance(hashes.get(pair[1])));
        }
    }
}
