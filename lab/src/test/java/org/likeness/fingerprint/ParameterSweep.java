package org.likeness.fingerprint;

import org.likeness.eval.FingerprintRobustness;
import org.likeness.eval.MarketplaceCopy;

import org.likeness.image.ImageFormat;
import org.likeness.image.NativeOpenCv;
import org.likeness.model.Sha256;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.imgcodecs.Imgcodecs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Development aid, not a test: the measurement behind {@link MarkParameters#DEFAULT} and the release JPEG quality
 * (docs/DECISIONS.md). Args: images-root photos. Photos are spread evenly over the sorted list, as in eval fingerprint.
 */
final class ParameterSweep {
    private static final List<MarketplaceCopy> SHOWN = List.of(MarketplaceCopy.JPEG_50, MarketplaceCopy.RESIZE_0_5,
            MarketplaceCopy.JPEG_70_RESIZE_0_75_CROP_5, MarketplaceCopy.JPEG_50_RESIZE_0_5_CROP_5_CORNER);

    public static void main(String[] args) throws Exception {
        NativeOpenCv.load();
        List<Path> all;
        try (Stream<Path> s = Files.walk(Path.of(args[0]))) {
            all = s.filter(p -> p.toString().endsWith(".jpg")).sorted().toList();
        }
        int n = Integer.parseInt(args[1]);
        List<Path> photos = IntStream.range(0, n).mapToObj(i -> all.get((int) ((long) i * all.size() / n))).toList();
        MarkParameters d = MarkParameters.DEFAULT;
        Map<String, FingerprintRobustness> variants = new LinkedHashMap<>();
        variants.put("default", variant(d, true));
        variants.put("no-masking", variant(new MarkParameters(d.canvasMaxSide(), d.bandLow(), d.bandHigh(), d.markRms(), false), true));
        variants.put("no-resampled-reference", variant(d, false));
        variants.put("band-0.02-0.20", variant(new MarkParameters(d.canvasMaxSide(), 0.02, 0.20, d.markRms(), d.masking()), true));
        variants.put("band-0.02-0.45", variant(new MarkParameters(d.canvasMaxSide(), 0.02, 0.45, d.markRms(), d.masking()), true));
        variants.put("rms-1.0", variant(new MarkParameters(d.canvasMaxSide(), d.bandLow(), d.bandHigh(), 1.0, d.masking()), true));
        if (args.length > 2) {
            variants.keySet().retainAll(List.of(args[2].split(",")));
        }
        releaseQuality(photos);
        for (Map.Entry<String, FingerprintRobustness> v : variants.entrySet()) {
            List<FingerprintRobustness.ImageResult> rs = IntStream.range(0, n).parallel().mapToObj(i -> {
                Mat o = Imgcodecs.imread(photos.get(i).toString());
                return v.getValue().measure(o, ImageFormat.JPEG, photos.get(i).toString(), i);
            }).toList();
            StringBuilder line = new StringBuilder(String.format("%-24s PSNR %.2f/%.2f SSIM %.4f/%.4f", v.getKey(),
                    rs.stream().mapToDouble(FingerprintRobustness.ImageResult::psnr).average().orElse(0),
                    rs.stream().mapToDouble(FingerprintRobustness.ImageResult::psnr).min().orElse(0),
                    rs.stream().mapToDouble(FingerprintRobustness.ImageResult::ssim).average().orElse(0),
                    rs.stream().mapToDouble(FingerprintRobustness.ImageResult::ssim).min().orElse(0)));
            for (MarketplaceCopy c : SHOWN) {
                double[] z = rs.stream().mapToDouble(r -> r.copies().get(c.ordinal()).trueZ()).sorted().toArray();
                long right = rs.stream().filter(r -> r.copies().get(c.ordinal()).right()).count();
                long wrong = rs.stream().filter(r -> r.copies().get(c.ordinal()).wrong()).count();
                line.append(String.format("  %s %d/%d w%d z~%.1f min %.1f", c.name().toLowerCase(), right, n, wrong, z[n / 2], z[0]));
            }
            System.out.println(line);
        }
    }

    private static FingerprintRobustness variant(MarkParameters p, boolean matchResampling) {
        return new FingerprintRobustness(new Fingerprinter(p), new FingerprintDetector(p, matchResampling),
                FingerprintKey.of(new byte[32]), FingerprintKey.of(filled(7)), 3, 0);
    }

    private static byte[] filled(int v) {
        byte[] b = new byte[32];
        Arrays.fill(b, (byte) v);
        return b;
    }

    /** PSNR of the released JPEG at several qualities, default mark. */
    private static void releaseQuality(List<Path> photos) {
        Fingerprinter f = new Fingerprinter();
        for (int q : new int[] {90, 95, 98}) {
            double sum = 0, min = Double.MAX_VALUE, bytes = 0;
            for (Path p : photos) {
                Mat o = Imgcodecs.imread(p.toString());
                Mat m = f.embed(o, FingerprintKey.of(new byte[32]), "r", p.toString());
                MatOfByte buf = new MatOfByte();
                Imgcodecs.imencode(".jpg", m, buf, new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, q));
                bytes += buf.total();
                double psnr = Visibility.psnr(o, Imgcodecs.imdecode(buf, Imgcodecs.IMREAD_COLOR));
                sum += psnr;
                min = Math.min(min, psnr);
            }
            System.out.printf("release JPEG q%d: PSNR mean %.2f min %.2f, mean %.0f bytes%n", q, sum / photos.size(), min, bytes / photos.size());
        }
    }
}
