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

/** Development aid: mean z² of decoys per residual (should be 1 under the Rademacher model). */
final class NullCheck {
    public static void main(String[] args) throws Exception {
        NativeOpenCv.load();
        List<Path> photos;
        try (Stream<Path> s = Files.walk(Path.of(args[0]))) {
            photos = s.filter(p -> p.toString().endsWith(".jpg")).sorted().limit(10).toList();
        }
        FingerprintKey key = FingerprintKey.of(new byte[32]);
        Fingerprinter f = new Fingerprinter();
        FingerprintDetector d = new FingerprintDetector();
        for (Path p : photos) {
            Mat o = Imgcodecs.imread(p.toString());
            for (MarketplaceCopy c : List.of(MarketplaceCopy.JPEG_50, MarketplaceCopy.RESIZE_0_5, MarketplaceCopy.CROP_2)) {
                for (Mat src : List.of(o, Imgcodecs.imdecode(new org.opencv.core.MatOfByte(f.release(o, ImageFormat.JPEG, key, "r", "i").file().bytes()), 1))) {
                    FingerprintDetector.Evidence e = d.measure(o, c.apply(src));
                    double s2 = 0, s1 = 0;
                    int n = 2000;
                    for (int i = 0; i < n; i++) {
                        double z = e.z(key, "decoy-" + i, "i");
                        s1 += z;
                        s2 += z * z;
                    }
                    float[] r = e.residual();
                    double sum2 = 0, max2 = 0;
                    for (float x : r) { sum2 += x * x; max2 = Math.max(max2, x * x); }
                    System.out.printf("%s %s %s: mean z %.3f, mean z² %.3f, M %d, max share %.4f%n", p.getFileName(), c, src == o ? "unmarked" : "marked",
                            s1 / n, s2 / n, r.length, max2 / sum2);
                }
            }
        }
    }
}
