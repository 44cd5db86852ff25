package org.likeness.lab;

import org.likeness.cli.BaseCommand;
import org.likeness.cli.ExitCodes;
import org.likeness.cli.JsonFileOption;
import org.likeness.cli.UserException;
import org.likeness.eval.LeakEvaluation;
import org.likeness.eval.LeakerCopy;
import org.likeness.eval.PersonSplit;

import org.likeness.json.Json;
import org.likeness.fingerprint.Detection;
import org.likeness.fingerprint.FingerprintDetector;
import org.likeness.fingerprint.FingerprintKey;
import org.likeness.eval.FingerprintRobustness;
import org.likeness.eval.MarketplaceCopy;
import org.likeness.image.DecodeException;
import org.likeness.image.DecodedImage;
import org.likeness.image.ImageDecoder;
import org.likeness.model.Sha256;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/** {@code likeness eval fingerprint --images ROOT}: the fingerprint targets (docs/BENCHMARKS.md) on real photos. */
@Command(name = "fingerprint", mixinStandardHelpOptions = true,
        description = {"Release photos to K recipients with an invisible fingerprint, make marketplace copies (JPEG, resize, crop; see MarketplaceCopy) and trace each against all K.",
                "Per copy: how often the right recipient is named, how often anyone wrong is named (marked copies, unmarked copies and copies marked under another key; must be 0), the median z of the right one.",
                "Also: PSNR and SSIM of the released file against the original, and the tail of every statistic whose mark was absent against the Gaussian and the threshold."})
final class EvalFingerprintCommand extends BaseCommand {
    @Option(names = "--images", required = true, description = "Folder of photos (searched recursively for .jpg/.jpeg/.png), e.g. ../shared/data/lfw-dev/images.")
    Path images;
    @Option(names = "--limit", description = "Photos used, spread evenly over the sorted list (default ${DEFAULT-VALUE}).")
    int limit = 500;
    @Option(names = "--recipients", description = "Recipients per photo; photo i goes to recipient i mod K, and every copy is traced against all K (default ${DEFAULT-VALUE}).")
    int recipients = 3;
    @Option(names = "--decoys", description = "Recipients never released to, scored on every copy for the null tail only (default ${DEFAULT-VALUE}).")
    int decoys = 20;
    @Option(names = "--seed", description = "Derives the evaluation's two keys, so runs are repeatable (default ${DEFAULT-VALUE}).")
    String seed = "eval-fingerprint";
    @Mixin
    JsonFileOption jsonOut;
    @Option(names = "--split", description = "Which people's photos: tuning, evaluation or all (by person, see PersonSplit; the people of the 60 photos spread over the sorted list under --images, which chose the mark's parameters on lfw-dev, count as tuning; default ${DEFAULT-VALUE}).")
    String split = "all";
    @Option(names = "--leakers", description = "Measure what leakers do instead (LeakerCopy: orientations, rotation, scale, large crops, screenshots, re-encode chains;"
            + " coalitions of 2-16 of the recipients averaging, min, max, min/max, collage, interleaving), per photo and per dataset.")
    boolean leakers;
    @Option(names = "--dataset-sizes", split = ",", description = "With --leakers: leaked dataset sizes, consecutive photos (default ${DEFAULT-VALUE}).")
    int[] datasetSizes = {50, 200};

    @Override
    public Integer call() throws IOException {
        if (limit < 1 || recipients < 1 || decoys < 0) {
            throw new UserException("--limit and --recipients must be at least 1, --decoys at least 0");
        }
        org.likeness.eval.PersonSplit half;
        try {
            half = org.likeness.eval.PersonSplit.parse(split);
        } catch (IllegalArgumentException e) {
            throw new UserException("--split must be tuning, evaluation or all, not " + split);
        }
        List<Path> photos = sample(images, limit, half);
        if (photos.isEmpty()) {
            throw new UserException(images + ": no .jpg, .jpeg or .png photos found");
        }
        if (leakers) {
            return leakers(photos, half);
        }
        FingerprintRobustness robustness = new FingerprintRobustness(keyFrom(seed + "/key"), keyFrom(seed + "/other-key"), recipients, decoys);
        ImageDecoder decoder = new ImageDecoder();
        long t0 = System.nanoTime();
        List<FingerprintRobustness.ImageResult> results = IntStream.range(0, photos.size()).parallel()
                .mapToObj(i -> measure(robustness, decoder, photos.get(i), i)).toList();
        double seconds = (System.nanoTime() - t0) / 1e9;
        List<FingerprintRobustness.ImageResult> ok = results.stream().filter(r -> r != null).toList();
        Map<String, Object> out = report(ok, seconds);
        out.put("failed", results.size() - ok.size());
        if (jsonOut.file() != null) {
            Json.PRETTY.writeValue(jsonOut.file().toFile(), out);
        }
        return ok.size() < results.size() ? ExitCodes.SOME_FAILED : ExitCodes.OK;
    }

    /** {@code --leakers}: photo i goes to the coalition order of its block of the largest dataset size. */
    private int leakers(List<Path> photos, org.likeness.eval.PersonSplit half) throws IOException {
        if (recipients < org.likeness.eval.LeakEvaluation.MAX_COALITION) {
            throw new UserException("--leakers needs at least " + org.likeness.eval.LeakEvaluation.MAX_COALITION + " recipients");
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < recipients; i++) {
            names.add("recipient-" + i);
        }
        int block = Arrays.stream(datasetSizes).max().orElse(1);
        org.likeness.eval.LeakEvaluation eval = new org.likeness.eval.LeakEvaluation(keyFrom(seed + "/key"), names);
        ImageDecoder decoder = new ImageDecoder();
        List<int[]> members = new ArrayList<>();
        for (int i = 0; i < photos.size(); i++) {
            members.add(coalitionOrder(seed, i / block, recipients));
        }
        err().printf(Locale.ROOT, "eval fingerprint --leakers: %d photos of the %s half, %d recipients%n", photos.size(),
                half.label(), recipients);
        long t0 = System.nanoTime();
        java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
        List<org.likeness.eval.LeakEvaluation.PhotoResult> results = IntStream.range(0, photos.size()).parallel().mapToObj(i -> {
            org.likeness.eval.LeakEvaluation.PhotoResult r = leak(eval, decoder, photos.get(i), members.get(i), i % block);
            int d = done.incrementAndGet();
            if (d % 25 == 0) {
                err().printf(Locale.ROOT, "  %d/%d photos, %.0f s%n", d, photos.size(), (System.nanoTime() - t0) / 1e9);
            }
            return r;
        }).toList();
        double seconds = (System.nanoTime() - t0) / 1e9;
        List<org.likeness.eval.LeakEvaluation.PhotoResult> ok = new ArrayList<>();
        List<int[]> okMembers = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i) != null) {
                ok.add(results.get(i));
                okMembers.add(members.get(i));
            }
        }
        double minPsnr = ok.stream().mapToDouble(org.likeness.eval.LeakEvaluation.PhotoResult::minPsnr).min().orElse(Double.NaN);
        Map<String, Object> out = new LeakReport(ok, okMembers, recipients, datasetSizes).print(out(), minPsnr);
        out.put("split", half.label());
        out.put("failed", results.size() - ok.size());
        out.put("seconds", seconds);
        out().printf(Locale.ROOT, "%.1f s (%.2f photos/s; each photo released %d times and %d suspects traced against %d recipients)%n",
                seconds, ok.size() / seconds, org.likeness.eval.LeakEvaluation.MAX_COALITION,
                eval.suspects() + org.likeness.eval.LeakEvaluation.Attack.values().length * org.likeness.eval.LeakEvaluation.COALITION_SIZES.length,
                recipients);
        if (jsonOut.file() != null) {
            Json.PRETTY.writeValue(jsonOut.file().toFile(), out);
        }
        return ok.size() < results.size() ? ExitCodes.SOME_FAILED : ExitCodes.OK;
    }

    /** A permutation of the recipients, from the seed and the block: its first c entries are the coalition of size c. */
    static int[] coalitionOrder(String seed, int block, int recipients) {
        java.util.Random rnd = new java.util.Random(((long) seed.hashCode() << 32) ^ block);
        int[] p = IntStream.range(0, recipients).toArray();
        for (int i = recipients - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private org.likeness.eval.LeakEvaluation.PhotoResult leak(org.likeness.eval.LeakEvaluation eval, ImageDecoder decoder,
                                                                              Path photo, int[] members, int indexInSet) {
        try {
            byte[] bytes = Files.readAllBytes(photo);
            try (DecodedImage img = decoder.decode(photo.toString(), bytes)) {
                return eval.measure(img.bgr(), img.format(), Sha256.of(bytes), members, indexInSet);
            }
        } catch (IOException | DecodeException | RuntimeException e) {
            err().println("likeness: " + photo + ": " + e.getMessage());
            return null;
        }
    }

    private FingerprintRobustness.ImageResult measure(FingerprintRobustness r, ImageDecoder decoder, Path photo, int index) {
        try {
            byte[] bytes = Files.readAllBytes(photo);
            try (DecodedImage img = decoder.decode(photo.toString(), bytes)) {
                return r.measure(img.bgr(), img.format(), Sha256.of(bytes), index);
            }
        } catch (IOException | DecodeException | RuntimeException e) {
            err().println("likeness: " + photo + ": " + e.getMessage());
            return null;
        }
    }

    private Map<String, Object> report(List<FingerprintRobustness.ImageResult> results, double seconds) {
        int n = results.size();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("images", n);
        out.put("recipients", recipients);
        out.put("threshold_z", FingerprintDetector.threshold(recipients));
        out().printf(Locale.ROOT, "%d photos, %d recipients, threshold z %.2f (false accusation ≤ %.0e per image)%n",
                n, recipients, FingerprintDetector.threshold(recipients), FingerprintDetector.FALSE_ACCUSATION_PER_IMAGE);
        out().printf(Locale.ROOT, "%-34s %7s %7s %9s %9s %7s%n", "copy", "right", "wrong", "not_reg", "median_z", "min_z");
        List<Map<String, Object>> rows = new ArrayList<>();
        List<float[]> nulls = new ArrayList<>();
        long exact = 0;
        for (MarketplaceCopy c : MarketplaceCopy.values()) {
            int right = 0, wrong = 0, notRegistered = 0;
            double[] z = new double[n];
            for (int i = 0; i < n; i++) {
                FingerprintRobustness.CopyResult r = results.get(i).copies().get(c.ordinal());
                right += r.right() ? 1 : 0;
                wrong += r.wrong() ? 1 : 0;
                notRegistered += r.outcome() == Detection.Outcome.NOT_REGISTERED ? 1 : 0;
                z[i] = r.trueZ();
                nulls.add(r.nullZ());
                exact += r.exactCopies();
            }
            Arrays.sort(z);
            double median = n == 0 ? 0 : z[n / 2], min = n == 0 ? 0 : z[0];
            out().printf(Locale.ROOT, "%-34s %7.4f %7.4f %9d %9.1f %7.1f%n", c.name().toLowerCase(Locale.ROOT),
                    (double) right / n, (double) wrong / n, notRegistered, median, min);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("copy", c.name().toLowerCase(Locale.ROOT));
            row.put("right_rate", (double) right / n);
            row.put("wrong_rate", (double) wrong / n);
            row.put("not_registered", notRegistered);
            row.put("median_z", median);
            row.put("min_z", min);
            rows.add(row);
        }
        out.put("copies", rows);
        out.put("visibility", visibility(results));
        out.put("null_tail", nullTail(nulls, FingerprintDetector.threshold(recipients), exact));
        out().printf(Locale.ROOT, "%.1f s (%.1f photos/s, each released twice and traced %d times)%n", seconds, n / seconds,
                3 * MarketplaceCopy.values().length);
        out.put("seconds", seconds);
        return out;
    }

    private Map<String, Object> visibility(List<FingerprintRobustness.ImageResult> results) {
        double[] psnr = results.stream().mapToDouble(FingerprintRobustness.ImageResult::psnr).toArray();
        double[] ssim = results.stream().mapToDouble(FingerprintRobustness.ImageResult::ssim).toArray();
        double[] mark = results.stream().mapToDouble(FingerprintRobustness.ImageResult::markPsnr).toArray();
        long weaker = results.stream().filter(r -> r.strength() < 1).count();
        out().printf(Locale.ROOT, "released file vs original: PSNR mean %.2f dB, min %.2f dB; SSIM mean %.4f, min %.4f (mark alone, before encoding: PSNR mean %.2f, min %.2f); %d re-marked weaker to stay ≥ %.0f dB%n",
                mean(psnr), min(psnr), mean(ssim), min(ssim), mean(mark), min(mark), weaker, org.likeness.fingerprint.Fingerprinter.MIN_RELEASE_PSNR);
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("psnr_mean", mean(psnr));
        v.put("psnr_min", min(psnr));
        v.put("ssim_mean", mean(ssim));
        v.put("ssim_min", min(ssim));
        v.put("mark_psnr_mean", mean(mark));
        v.put("mark_psnr_min", min(mark));
        v.put("remarked_weaker", weaker);
        return v;
    }

    /** The statistics of absent marks against N(0,1) and against the threshold. */
    private Map<String, Object> nullTail(List<float[]> nulls, double threshold, long exactCopies) {
        long count = 0, over3 = 0, over4 = 0, overThreshold = 0;
        double sum = 0, sumSq = 0, max = Double.NEGATIVE_INFINITY;
        for (float[] zs : nulls) {
            for (float z : zs) {
                count++;
                sum += z;
                sumSq += (double) z * z;
                max = Math.max(max, z);
                over3 += z > 3 ? 1 : 0;
                over4 += z > 4 ? 1 : 0;
                overThreshold += z >= threshold ? 1 : 0;
            }
        }
        double mean = sum / count, sd = Math.sqrt(sumSq / count - mean * mean);
        out().printf(Locale.ROOT, "null: %d statistics of absent marks: mean %.3f, sd %.3f, max %.2f; z > 3: %.2e (Gaussian %.2e), z > 4: %.2e (Gaussian %.2e), ≥ threshold: %d (not counted: %d unmarked copies identical to the original or an exact crop, residual 0, z 0)%n",
                count, mean, sd, max, (double) over3 / count, gaussianTail(3), (double) over4 / count, gaussianTail(4), overThreshold, exactCopies);
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("count", count);
        t.put("mean", mean);
        t.put("sd", sd);
        t.put("max", max);
        t.put("rate_over_3", (double) over3 / count);
        t.put("gaussian_over_3", gaussianTail(3));
        t.put("rate_over_4", (double) over4 / count);
        t.put("gaussian_over_4", gaussianTail(4));
        t.put("at_or_over_threshold", overThreshold);
        t.put("exact_copies_not_counted", exactCopies);
        return t;
    }

    /** Q(z) = P(N(0,1) > z) = erfc(z/√2)/2, erfc by Numerical Recipes' Chebyshev fit (fractional error &lt; 1.2e-7). */
    static double gaussianTail(double z) {
        double x = Math.abs(z / Math.sqrt(2)), t = 1 / (1 + 0.5 * x);
        double erfc = t * Math.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
                + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return z >= 0 ? erfc / 2 : 1 - erfc / 2;
    }

    private static double mean(double[] a) {
        return Arrays.stream(a).average().orElse(Double.NaN);
    }

    private static double min(double[] a) {
        return Arrays.stream(a).min().orElse(Double.NaN);
    }

    static FingerprintKey keyFrom(String text) {
        try {
            return FingerprintKey.of(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    /**
     * The mark's parameters were chosen by the test-scope ParameterSweep on this many photos spread over the sorted lfw-dev
     * list (docs/DECISIONS.md, MarkParameters.DEFAULT): their people are in the tuning half.
     */
    static final int TUNING_PHOTOS = 60;

    static List<Path> sample(Path root, int n) throws IOException {
        return sample(root, n, org.likeness.eval.PersonSplit.ALL);
    }

    /** {@code n} photos of the half, spread evenly over its sorted list. */
    static List<Path> sample(Path root, int n, org.likeness.eval.PersonSplit half) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new UserException(root + ": not a folder");
        }
        List<Path> all;
        try (Stream<Path> s = Files.walk(root)) {
            all = s.filter(Files::isRegularFile).filter(p -> p.toString().toLowerCase(Locale.ROOT).matches(".*\\.(jpe?g|png)$"))
                    .sorted().toList();
        }
        if (half != org.likeness.eval.PersonSplit.ALL) {
            // the people whose photos chose the mark's parameters count as tuning, whatever their hash
            java.util.Set<String> tuned = new java.util.HashSet<>();
            List<Path> every = all;
            int t = Math.min(TUNING_PHOTOS, every.size());
            for (int i = 0; i < t; i++) {
                tuned.add(String.valueOf(every.get((int) ((long) i * every.size() / t)).getParent()));
            }
            all = every.stream().filter(p -> half == org.likeness.eval.PersonSplit.EVALUATION
                    ? half.holds(p) && !tuned.contains(String.valueOf(p.getParent()))
                    : half.holds(p) || tuned.contains(String.valueOf(p.getParent()))).toList();
        }
        List<Path> chosen = all;
        if (n >= chosen.size()) {
            return chosen;
        }
        return IntStream.range(0, n).mapToObj(i -> chosen.get((int) ((long) i * chosen.size() / n))).toList();
    }
}
