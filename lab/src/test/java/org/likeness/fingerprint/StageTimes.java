package org.likeness.fingerprint;

import org.likeness.eval.MarketplaceCopy;

import org.likeness.image.ImageFormat;
import org.likeness.image.NativeOpenCv;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Development aid, not a test: single-thread cost of each stage on lfw-dev photos. Args: images-root count. */
final class StageTimes {
    public static void main(String[] args) throws Exception {
        NativeOpenCv.load();
        List<Path> photos;
        try (Stream<Path> s = Files.walk(Path.of(args[0]))) {
            photos = s.filter(p -> p.toString().endsWith(".jpg")).sorted().limit(Integer.parseInt(args[1])).toList();
        }
        FingerprintKey key = FingerprintKey.of(new byte[32]);
        Fingerprinter f = new Fingerprinter();
        FingerprintDetector d = new FingerprintDetector();
        long embed = 0, encode = 0, same = 0, resized = 0, space = 0;
        for (int rep = 0; rep < 2; rep++) {
            embed = encode = same = resized = space = 0;
            for (Path p : photos) {
                Mat o = Imgcodecs.imread(p.toString());
                long t0 = System.nanoTime();
                Mat m = f.embed(o, key, "r", p.toString());
                long t1 = System.nanoTime();
                byte[] b = Fingerprinter.encodeRelease(m, ImageFormat.JPEG).bytes();
                long t2 = System.nanoTime();
                Mat rel = Imgcodecs.imdecode(new org.opencv.core.MatOfByte(b), Imgcodecs.IMREAD_COLOR);
                long t3 = System.nanoTime();
                d.detect(o, rel, key, p.toString(), List.of("r", "s", "t"));
                long t4 = System.nanoTime();
                Mat small = MarketplaceCopy.JPEG_70_RESIZE_0_75_CROP_5.apply(rel);
                long t5 = System.nanoTime();
                d.detect(o, small, key, p.toString(), List.of("r", "s", "t"));
                long t6 = System.nanoTime();
                MarkSpace.of(o, MarkParameters.DEFAULT).release();
                long t7 = System.nanoTime();
                embed += t1 - t0;
                encode += t2 - t1;
                same += t4 - t3;
                resized += t6 - t5;
                space += t7 - t6;
            }
        }
        int n = photos.size();
        Mat o = Imgcodecs.imread(photos.get(0).toString());
        FingerprintDetector.Evidence e = d.measure(o, Imgcodecs.imdecode(new org.opencv.core.MatOfByte(
                Fingerprinter.encodeRelease(f.embed(o, key, "r", "i"), ImageFormat.JPEG).bytes()), Imgcodecs.IMREAD_COLOR));
        double sink = 0;
        long c0 = System.nanoTime();
        for (int i = 0; i < 20000; i++) {
            sink += e.z(key, "decoy-" + i, "i");
        }
        System.out.printf("per further candidate: %.3f ms (sink %.1f)%n", (System.nanoTime() - c0) / 1e6 / 20000, sink);
        System.out.printf("per photo ms: embed %.2f (mark space %.2f), encode q95 %.2f, detect same-size %.2f, detect jpeg70+0.75+crop5 %.2f%n",
                embed / 1e6 / n, space / 1e6 / n, encode / 1e6 / n, same / 1e6 / n, resized / 1e6 / n);
    }
}
