package org.likeness.lab;

import org.likeness.cli.BaseCommand;
import org.likeness.cli.ExitCodes;
import org.likeness.cli.Main;
import org.likeness.cli.RegistryAccess;
import org.likeness.cli.UserException;

import org.likeness.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.likeness.bench.MarketplaceLeak;
import org.likeness.image.NativeOpenCv;
import org.likeness.registry.CollectionFace;
import org.likeness.registry.CollectionImage;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code likeness bench trace}: the release and trace end-to-end figures (docs/BENCHMARKS.md) with the real commands — release of N photos, and trace of N
 * marketplace copies of one recipient's release against a registry of (N registered + distractors) images.
 */
@Command(name = "trace", mixinStandardHelpOptions = true,
        description = {"Register N lfw photos as a collection, release it to three recipients (timed), leak one recipient's copy through"
                + " MarketplaceLeak (crop ≤ 5 %, resize 0.5–1.0, JPEG 50–90, renamed, shuffled), register distractor images up to"
                + " --registered, and trace the leak (timed). Prints the right-collection and right-recipient rates and wrong names.",
                "Distractors are synthetic rows (random PDQ hashes, random unit face templates): the registry's size, not its content,"
                        + " is what they stand for. Runs in a fresh $LIKENESS_HOME under --work."})
final class BenchTraceCommand extends BaseCommand {
    @Option(names = "--images", required = true, description = "Folder of person/photo.jpg, e.g. ../shared/data/lfw-dev/images.")
    Path images;
    @Option(names = "--work", required = true, description = "Empty folder for the registry, copies and reports.")
    Path work;
    @Option(names = "--photos", description = "Photos registered, released and leaked (default ${DEFAULT-VALUE}).")
    int photos = 5000;
    @Option(names = "--registered", description = "Registered images in all, distractors included (default ${DEFAULT-VALUE}).")
    int registered = 100_000;

    @Override
    public Integer call() throws Exception {
        NativeOpenCv.load();
        Files.createDirectories(work);
        Map<String, String> env = new HashMap<>();
        env.put("LIKENESS_HOME", work.resolve("home").toString());
        run(env, "registry", "init");
        Path held = work.resolve("held");
        List<Path> all;
        try (Stream<Path> s = Files.walk(images)) {
            all = s.filter(p -> p.toString().endsWith(".jpg")).sorted().toList();
        }
        for (Path p : all.subList(0, Math.min(photos, all.size()))) {
            Path to = held.resolve(images.relativize(p).toString());
            Files.createDirectories(to.getParent());
            Files.copy(p, to);
        }
        long t = System.nanoTime();
        run(env, "collection", "add", "held", held.toString(), "--owner", "bench");
        out().printf(Locale.ROOT, "collection add (scan %d photos): %.1f s%n", photos, (System.nanoTime() - t) / 1e9);
        double releaseSeconds = 0;
        for (String who : List.of("alice", "bob", "carol")) {
            t = System.nanoTime();
            run(env, "release", "held", "--to", who, "-o", work.resolve("copy-" + who).toString(), "--no-progress");
            double s = (System.nanoTime() - t) / 1e9;
            releaseSeconds = Math.max(releaseSeconds, s);
            out().printf(Locale.ROOT, "release of %d photos to %s: %.1f s%n", photos, who, s);
        }
        Path suspect = work.resolve("marketplace");
        Files.createDirectories(suspect);
        Random random = new Random(20261126L);
        List<Path> copies;
        try (Stream<Path> s = Files.walk(work.resolve("copy-bob"))) {
            copies = new ArrayList<>(s.filter(Files::isRegularFile).sorted().toList());
        }
        Collections.shuffle(copies, random);
        for (int i = 0; i < copies.size(); i++) {
            Mat img = Imgcodecs.imread(copies.get(i).toString());
            Files.write(suspect.resolve(String.format(Locale.ROOT, "leak_%05d.jpg", i)), MarketplaceLeak.copy(img, random));
            img.release();
        }
        int distractors = Math.max(0, registered - photos);
        addDistractors(env, distractors, random);
        t = System.nanoTime();
        Path report = work.resolve("trace");
        run(env, "trace", suspect.toString(), "--report", report.toString(), "--no-progress");
        double traceSeconds = (System.nanoTime() - t) / 1e9;
        JsonNode j = Json.MAPPER.readTree(report.resolve("trace.json").toFile());
        int rightCollection = 0;
        int rightRecipient = 0;
        int wrongRecipient = 0;
        int pdq = 0;
        for (JsonNode i : j.get("images")) {
            rightCollection += "held".equals(i.get("collection").asText(null)) ? 1 : 0;
            pdq += i.get("pdq_distance").isNumber() ? 1 : 0;
            String r = i.get("recipient").asText(null);
            rightRecipient += "bob".equals(r) ? 1 : 0;
            wrongRecipient += r != null && !"bob".equals(r) ? 1 : 0;
        }
        int n = copies.size();
        out().printf(Locale.ROOT, "trace of %d marketplace copies against %d registered images (%d distractors): %.1f s%n", n,
                photos + distractors, distractors, traceSeconds);
        out().printf(Locale.ROOT, "right collection %d/%d (%.4f; %d by PDQ), right recipient %d/%d (%.4f), wrong recipient %d%n",
                rightCollection, n, rightCollection / (double) n, pdq, rightRecipient, n, rightRecipient / (double) n, wrongRecipient);
        return ExitCodes.OK;
    }

    /** Synthetic registered images: random PDQ hashes and random unit templates, in one collection. */
    private void addDistractors(Map<String, String> env, int count, Random random) throws Exception {
        if (count == 0) {
            return;
        }
        List<CollectionImage> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            StringBuilder pdq = new StringBuilder();
            for (int k = 0; k < 4; k++) {
                pdq.append(String.format(Locale.ROOT, "%016x", random.nextLong()));
            }
            float[] v = new float[512];
            for (int d = 0; d < v.length; d++) {
                v[d] = (float) random.nextGaussian();
            }
            String sha = org.likeness.model.Sha256.of(("distractor " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            rows.add(new CollectionImage(String.format(Locale.ROOT, "d/%07d.jpg", i), sha, pdq.toString(),
                    List.of(new CollectionFace(0, 10, 10, 100, 100, null, 0, v))));
        }
        try (RegistryAccess access = RegistryAccess.open(null, env, "bench")) {
            access.registry().addCollection("distractors", "bench", work.resolve("distractors").toString(), "fr-feature-512", rows);
        }
    }

    private void run(Map<String, String> env, String... args) {
        java.io.StringWriter buf = new java.io.StringWriter();
        int code = Main.run(env, new java.io.PrintWriter(buf, true), err(), args);
        if (code != ExitCodes.OK && code != ExitCodes.FOUND) {
            throw new UserException(String.join(" ", args) + " exited " + code + ": " + buf);
        }
    }
}
