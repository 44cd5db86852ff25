package org.likeness.lab;

import org.likeness.cli.BaseCommand;
import org.likeness.cli.Choices;
import org.likeness.cli.ExitCodes;
import org.likeness.cli.JsonFileOption;

import org.likeness.json.Json;
import org.likeness.eval.Bakeoff;
import org.likeness.eval.ImpostorCalibration;
import org.likeness.eval.Pair;
import org.likeness.eval.PairsFile;
import org.likeness.eval.VerificationMetrics;
import org.likeness.face.FaceEmbedder;
import org.likeness.face.LandmarkModel;
import org.likeness.face.FaceDetector;
import org.likeness.face.FacePipeline;
import org.likeness.model.ModelCatalogue;
import org.likeness.model.ModelStore;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/** {@code likeness bench bakeoff --images ROOT --pairs FILE}. */
@Command(name = "bakeoff", mixinStandardHelpOptions = true,
        description = "Compare pipeline variants on the images of a pairs file: LFW-protocol accuracy, and the FMR 1e-4 threshold over all cross-identity pairs of those images.")
final class BakeoffCommand extends BaseCommand {
    @Option(names = "--images", required = true, description = "Labelled folder (person/photo layout).")
    Path images;
    @Option(names = "--pairs", required = true, description = "LFW-format pairs file over that folder.")
    Path pairsFile;
    @Option(names = "--detector", converter = Choices.Detector.class, completionCandidates = Choices.Detector.class, description = "Detector id (default ${DEFAULT-VALUE}).")
    String detector = ModelCatalogue.ULTRAFACE;
    @Mixin
    JsonFileOption jsonOut;
    @Option(names = "--embedders", split = ",", description = "Compare these embedders, their flips and fusions over every "
            + "photo of --images (first = the default; others from `models fetch --optional`, imported from TF.js), choose on "
            + "the tuning half, report on the evaluation half.")
    List<String> embedders;
    @Option(names = "--cache", description = "With --embedders: vectors file, reused when it exists, else written.")
    Path cache;

    @Override
    public Integer call() throws IOException {
        List<Pair> pairs = PairsFile.read(pairsFile);
        if (embedders != null && !embedders.isEmpty()) {
            BakeoffEmbedders.run(images, pairs, List.copyOf(embedders), cache, jsonOut.file(), out(), err());
            return ExitCodes.OK;
        }
        ModelStore store = ModelStore.fromEnvironment();
        // only the images the pairs name: the thresholds over all cross-identity pairs come from the same images
        List<String> files = pairs.stream().flatMap(p -> Stream.of(p.a(), p.b())).distinct().sorted().toList();
        Map<String, float[][]> vecs;
        AtomicLong done = new AtomicLong();
        long t0 = System.nanoTime();
        try (FaceDetector det = FacePipeline.detector(store, detector, 1);
             LandmarkModel lm = new LandmarkModel(store.require(ModelCatalogue.LANDMARK68), 1);
             FaceEmbedder emb = new FaceEmbedder(store.require(ModelCatalogue.ARCFACE512), 1, false)) {
            vecs = new Bakeoff(det, lm, emb).run(images, files, () -> {
                long d = done.incrementAndGet();
                if (d % 500 == 0) {
                    err().printf(Locale.ROOT, "bakeoff %d/%d images, %.1f/s%n", d, files.size(), d / ((System.nanoTime() - t0) / 1e9));
                }
            });
        }
        int noFace = files.size() - vecs.size();
        List<Map<String, Object>> rows = new ArrayList<>();
        out().printf(Locale.ROOT, "%d images, %d without a face (%.2f%% found)%n", files.size(), noFace, 100.0 * vecs.size() / files.size());
        out().printf("%-18s %9s %7s %9s %9s %7s %9s %9s%n", "variant", "accuracy", "std", "TAR@1e-3", "TAR@1e-4", "EER", "thr@1e-4", "TAR(all)");
        for (int v = 0; v < Bakeoff.VARIANTS.size(); v++) {
            final int vi = v;
            double[] scores = new double[pairs.size()];
            boolean[] same = new boolean[pairs.size()];
            for (int i = 0; i < pairs.size(); i++) {
                float[][] a = vecs.get(pairs.get(i).a());
                float[][] b = vecs.get(pairs.get(i).b());
                scores[i] = a == null || b == null ? -1 : dot(a[vi], b[vi]);
                same[i] = pairs.get(i).same();
            }
            VerificationMetrics m = VerificationMetrics.compute(scores, same, null);
            List<float[]> all = new ArrayList<>();
            List<Integer> ids = new ArrayList<>();
            Map<String, Integer> idOf = new HashMap<>();
            vecs.keySet().stream().sorted().forEach(f -> {
                all.add(vecs.get(f)[vi]);
                ids.add(idOf.computeIfAbsent(f.substring(0, f.indexOf('/')), k -> idOf.size()));
            });
            ImpostorCalibration c = ImpostorCalibration.compute(all, ids.stream().mapToInt(Integer::intValue).toArray(), 1e-4);
            out().printf(Locale.ROOT, "%-18s %9.4f %7.4f %9.4f %9.4f %7.4f %9.4f %9.4f%n", Bakeoff.VARIANTS.get(v),
                    m.accuracy(), m.accuracyStd(), m.tarAtFmr1e3(), m.tarAtFmr1e4(), m.eer(), c.threshold(), c.tar());
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("variant", Bakeoff.VARIANTS.get(v));
            row.put("accuracy", m.accuracy());
            row.put("accuracy_std", m.accuracyStd());
            row.put("tar_at_fmr_1e-3", m.tarAtFmr1e3());
            row.put("tar_at_fmr_1e-4", m.tarAtFmr1e4());
            row.put("eer", m.eer());
            row.put("threshold_fmr_1e-4_all_pairs", c.threshold());
            row.put("measured_fmr_all_pairs", c.fmr());
            row.put("impostor_pairs", c.impostors());
            row.put("tar_all_genuine_pairs", c.tar());
            rows.add(row);
        }
        if (jsonOut.file() != null) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("images", files.size());
            o.put("no_face", noFace);
            o.put("variants", rows);
            Json.PRETTY.writeValue(jsonOut.file().toFile(), o);
        }
        return ExitCodes.OK;
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
