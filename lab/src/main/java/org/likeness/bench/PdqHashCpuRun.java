package org.likeness.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.likeness.hash.PdqHasher;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * PDQ photos per CPU-second of one thread, on the same decoded LFW photos as {@link PdqHashBenchmark}. Thread CPU
 * time, unlike JMH's wall clock, is not inflated when other processes share the cores (it still includes the
 * slow-down from shared caches).
 *
 * <p>Usage: {@code java -Dlikeness.shared=../shared -cp "lab/target/likeness-lab.jar:core/target/likeness.jar:core/target/lib/*:lab/target/lib/*" \
 * org.likeness.bench.PdqHashCpuRun [photos=200] [rounds=5] [passes=20]}
 */
public final class PdqHashCpuRun {

    private PdqHashCpuRun() {
    }

    public static void main(String[] args) {
        int photos = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int passes = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        nu.pattern.OpenCV.loadLocally();
        List<Mat> images = new ArrayList<>();
        for (Path p : DevPhotos.sample(photos)) {
            images.add(Imgcodecs.imread(p.toString(), Imgcodecs.IMREAD_COLOR));
        }
        PdqHasher hasher = new PdqHasher();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long checksum = 0;
        for (int round = 0; round < rounds; round++) {
            long cpu = threads.getCurrentThreadCpuTime();
            long wall = System.nanoTime();
            for (int pass = 0; pass < passes; pass++) {
                for (Mat m : images) {
                    checksum += hasher.hash(m).hash().w0();
                }
            }
            double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpu) / 1e9;
            double wallSeconds = (System.nanoTime() - wall) / 1e9;
            int n = passes * images.size();
            System.out.printf("round %d: %d photos, %.0f photos per CPU-second, %.0f photos per wall-second%n",
                    round, n, n / cpuSeconds, n / wallSeconds);
        }
        System.out.println("(checksum " + Long.toHexString(checksum) + ")");
    }
}
