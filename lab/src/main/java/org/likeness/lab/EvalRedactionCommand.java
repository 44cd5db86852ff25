package org.likeness.lab;

import org.likeness.cli.BaseCommand;
import org.likeness.cli.ExitCodes;
import org.likeness.cli.JsonFileOption;

import org.likeness.json.Json;
import org.likeness.eval.PrimaryFace;
import org.likeness.eval.RedactionEval;
import org.likeness.face.Face;
import org.likeness.face.FacePipeline;
import org.likeness.face.MatchThreshold;
import org.likeness.image.DecodeException;
import org.likeness.image.DecodedImage;
import org.likeness.image.ImageDecoder;
import org.likeness.redact.Anonymiser;
import org.likeness.redact.RedactMode;
import org.likeness.scan.DatasetEntry;
import org.likeness.scan.DatasetReader;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code likeness eval redaction --images ROOT}. */
@Command(name = "redaction", mixinStandardHelpOptions = true,
        description = "Re-identification rate of redacted faces, measured with our own embedder: each photo's main face is redacted,"
                + " then attacked three ways (detect it again; embed at its known position; undo the blur or pixelation first)."
                + " A face counts as re-identified when its similarity to the original reaches the match threshold (FMR 1e-4).")
final class EvalRedactionCommand extends BaseCommand {
    @Option(names = "--images", required = true, paramLabel = "ROOT", description = "Folder or archive of photos.")
    Path images;
    @Option(names = "--limit", description = "Photos, spread evenly over the set (default ${DEFAULT-VALUE}).")
    int limit = 300;
    @Option(names = "--sweep", description = "Also measure weaker settings (smaller blur, more blocks, no noise) to show why the defaults are not weaker.")
    boolean sweep;
    @Mixin
    JsonFileOption jsonOut;

    private record Config(String name, RedactMode mode, Anonymiser.Strength strength) {
    }

    @Override
    public Integer call() throws IOException {
        List<Config> configs = new ArrayList<>();
        Anonymiser.Strength d = Anonymiser.Strength.DEFAULT;
        if (sweep) {
            configs.add(new Config("blur sigma 0.05 no noise", RedactMode.BLUR, new Anonymiser.Strength(0.05, d.pixelBlocksPerFace(), 0)));
            configs.add(new Config("blur sigma 0.10 no noise", RedactMode.BLUR, new Anonymiser.Strength(0.10, d.pixelBlocksPerFace(), 0)));
            configs.add(new Config("blur sigma 0.20 no noise", RedactMode.BLUR, new Anonymiser.Strength(0.20, d.pixelBlocksPerFace(), 0)));
            configs.add(new Config("pixelate 16 blocks no noise", RedactMode.PIXELATE, new Anonymiser.Strength(d.blurSigmaFraction(), 16, 0)));
            configs.add(new Config("pixelate 10 blocks no noise", RedactMode.PIXELATE, new Anonymiser.Strength(d.blurSigmaFraction(), 10, 0)));
        }
        configs.add(new Config("blur (default)", RedactMode.BLUR, d));
        configs.add(new Config("pixelate (default)", RedactMode.PIXELATE, d));
        configs.add(new Config("mask", RedactMode.MASK, d));
        int total = 0;
        try (DatasetReader r = DatasetReader.open(images)) {
            while (r.hasNext()) {
                r.next();
                total++;
            }
        }
        long step = Math.max(1, total / Math.max(1, limit));
        ImageDecoder decoder = new ImageDecoder();
        Map<String, List<double[]>> results = new LinkedHashMap<>();
        configs.forEach(c -> results.put(c.name(), new ArrayList<>()));
        List<Double> unredacted = new ArrayList<>();
        int used = 0;
        int index = 0;
        String embedder;
        try (FacePipeline pipeline = FacePipeline.open(org.likeness.model.ModelStore.fromEnvironment(),
                FacePipeline.Options.defaults(Runtime.getRuntime().availableProcessors()));
             DatasetReader reader = DatasetReader.open(images)) {
            embedder = pipeline.embedderId();
            RedactionEval eval = new RedactionEval(pipeline);
            while (reader.hasNext() && used < limit) {
                DatasetEntry e = reader.next();
                if (index++ % step != 0 || e.error() != null) {
                    continue;
                }
                try (DecodedImage img = decoder.decode(e.path(), e.bytes())) {
                    List<Face> faces = pipeline.faces(img.bgr());
                    int p = PrimaryFace.index(faces.stream().map(Face::box).toList(), img.width(), img.height());
                    if (p < 0) {
                        continue;
                    }
                    Face f = faces.get(p);
                    unredacted.add((double) pipeline.embedAt(img.bgr(), f.landmarks()).similarity(f.embedding()));
                    for (Config c : configs) {
                        RedactionEval.Attack a = eval.attack(img.bgr(), f, c.mode(), c.strength(), index);
                        results.get(c.name()).add(new double[] {a.detected(), a.knownPosition(), a.deblurred()});
                    }
                    used++;
                } catch (DecodeException ex) {
                    err().println("skipped " + ex.getMessage());
                }
            }
        }
        double threshold = MatchThreshold.forModel(embedder);
        out().printf(Locale.ROOT, "%d faces from %s; re-identified = similarity to the original >= %.4f (FMR 1e-4)%n", used, images, threshold);
        out().printf(Locale.ROOT, "unredacted, embedded at its landmarks: median similarity %.3f%n", median(unredacted));
        out().printf(Locale.ROOT, "%-28s %10s %10s %14s %12s %14s%n", "setting", "detected", "re-id det", "re-id known", "re-id deblur", "p99 sim (any)");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("images", images.toString());
        out.put("faces", used);
        out.put("threshold", threshold);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Config c : configs) {
            List<double[]> rs = results.get(c.name());
            double n = Math.max(1, rs.size());
            double detectedRate = rs.stream().filter(x -> x[0] >= 0).count() / n;
            double[] reid = new double[3];
            List<Double> worst = new ArrayList<>();
            for (double[] x : rs) {
                for (int k = 0; k < 3; k++) {
                    reid[k] += x[k] >= threshold ? 1 / n : 0;
                }
                worst.add(Arrays.stream(x).max().orElse(-1));
            }
            double p99 = quantile(worst, 0.99);
            out().printf(Locale.ROOT, "%-28s %10.3f %10.4f %14.4f %12.4f %14.3f%n", c.name(), detectedRate, reid[0], reid[1], reid[2], p99);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("setting", c.name());
            row.put("mode", c.mode().word());
            row.put("blur_sigma_fraction", c.strength().blurSigmaFraction());
            row.put("pixel_blocks_per_face", c.strength().pixelBlocksPerFace());
            row.put("noise_sigma", c.strength().noiseSigma());
            row.put("face_detected_rate", detectedRate);
            row.put("reid_detected", reid[0]);
            row.put("reid_known_position", reid[1]);
            row.put("reid_deblurred", reid[2]);
            row.put("p99_similarity", p99);
            rows.add(row);
        }
        out.put("settings", rows);
        if (jsonOut.file() != null) {
            Json.PRETTY.writeValue(jsonOut.file().toFile(), out);
        }
        return ExitCodes.OK;
    }

    private static double median(List<Double> xs) {
        return quantile(xs, 0.5);
    }

    private static double quantile(List<Double> xs, double q) {
        if (xs.isEmpty()) {
            return Double.NaN;
        }
        double[] s = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return s[Math.min(s.length - 1, (int) Math.floor(q * (s.length - 1) + 0.5))];
    }

}
