package org.likeness.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.likeness.hash.PdqHasher;
import org.likeness.hash.PdqResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * PDQ hashing of decoded 250×250 LFW photos, one thread; decoding is done at set-up and not measured.
 * {@code hashMat} is the public entry point on an OpenCV BGR image (includes copying pixels out of the Mat);
 * {@code hashRgb} starts from a packed RGB byte array.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class PdqHashBenchmark {

    @Param("200")
    int photos;

    private final List<Mat> images = new ArrayList<>();
    private final List<byte[]> rgb = new ArrayList<>();
    private final PdqHasher hasher = new PdqHasher();
    private int next;
    private int width;
    private int height;

    @Setup
    public void load() {
        nu.pattern.OpenCV.loadLocally();
        for (Path p : DevPhotos.sample(photos)) {
            Mat bgr = Imgcodecs.imread(p.toString(), Imgcodecs.IMREAD_COLOR);
            if (bgr.empty()) {
                throw new IllegalStateException("OpenCV could not decode " + p);
            }
            images.add(bgr);
            Mat converted = new Mat();
            Imgproc.cvtColor(bgr, converted, Imgproc.COLOR_BGR2RGB);
            byte[] bytes = new byte[(int) converted.total() * 3];
            converted.get(0, 0, bytes);
            rgb.add(bytes);
            width = bgr.cols();
            height = bgr.rows();
        }
    }

    @Benchmark
    public PdqResult hashMat() {
        Mat image = images.get(next);
        next = next + 1 == images.size() ? 0 : next + 1;
        return hasher.hash(image);
    }

    @Benchmark
    public PdqResult hashRgb() {
        byte[] image = rgb.get(next);
        next = next + 1 == rgb.size() ? 0 : next + 1;
        return hasher.hashRgb(image, width, height);
    }
}
