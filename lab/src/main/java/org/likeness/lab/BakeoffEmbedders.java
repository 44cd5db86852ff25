package org.likeness.lab;

import org.likeness.eval.EmbedderBakeoff;
import org.likeness.eval.FusionEval;
import org.likeness.eval.Pair;
import org.likeness.eval.PersonSplit;
import org.likeness.eval.VerificationMetrics;
import org.likeness.face.EmbedderSpec;
import org.likeness.face.FaceDetector;
import org.likeness.face.FaceEmbedder;
import org.likeness.face.FacePipeline;
import org.likeness.face.LandmarkModel;
import org.likeness.json.Json;
import org.likeness.model.ModelCatalogue;
import org.likeness.model.ModelStore;
import org.likeness.tfjs.ImportedEmbedder;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * {@code bench bakeoff --embedders …}: single embedders, flip and score-level fusions over every photo of the folder;
 * the variant is chosen on the tuning half (highest TAR at FMR 1e-6 within the cost budget) and reported, with the
 * tuning half's thresholds applied unchanged, on the evaluation half.
 */
final class BakeoffEmbedders {
    /**
     * Embedder CPU per face a default may cost: the scan's ≥ 150 photos/s on 2 cores is 13.3 ms of CPU per photo, and
     * the default embedder's share of the profiled scan is 9.6 of 18.4 ms (docs/BENCHMARKS.md, "Scan CPU profile"), so
     * anything above the default's own cost moves the scan further from its target; a variant is eligible when it costs
     * at most the default's embedder time plus this margin (20 %, the run-to-run noise of the timings on this machine).
     */
    static final double COST_MARGIN = 1.20;

    private BakeoffEmbedders() {
    }

    static void run(Path images, List<Pair> listed, List<String> ids, Path cache, Path jsonOut, PrintWriter out, PrintWriter err)
            throws IOException {
        EmbedderBakeoff.Saved saved = cache != null && Files.isRegularFile(cache) ? EmbedderBakeoff.load(cache) : null;
        if (saved != null && !saved.ids().equals(ids)) {
            throw new IOException(cache + ": holds vectors of " + saved.ids() + ", not " + ids + "; use another --cache");
        }
        if (saved == null) {
            saved = compute(images, ids, err);
            if (cache != null) {
                EmbedderBakeoff.save(cache, ids, saved.msPerFace(), saved.vectors());
            }
        }
        report(saved, listed, ids, jsonOut, out);
    }

    private static void report(EmbedderBakeoff.Saved saved, List<Pair> listed, List<String> ids, Path jsonOut, PrintWriter out)
            throws IOException {
        out.printf(Locale.ROOT, "%d photos with a face; embedder CPU per face (one run, no flip):", saved.vectors().size());
        for (int e = 0; e < ids.size(); e++) {
            out.printf(Locale.ROOT, " %s %.2f ms", ids.get(e), saved.msPerFace()[e]);
        }
        out.println();
        List<FusionEval.Variant> variants = FusionEval.variants(ids);
        Map<String, Object> json = new LinkedHashMap<>();
        Map<FusionEval.Variant, FusionEval.Result> tuning = new LinkedHashMap<>();
        for (PersonSplit half : List.of(PersonSplit.TUNING, PersonSplit.EVALUATION)) {
            List<String> paths = new ArrayList<>();
            List<float[][]> vecs = new ArrayList<>();
            saved.vectors().forEach((p, v) -> {
                if (half.holds(Path.of(p))) {
                    paths.add(p);
                    vecs.add(v);
                }
            });
            FusionEval eval = new FusionEval(paths, vecs).half(half);
            out.printf(Locale.ROOT, "%n%s half: %d faces%n", half.label(), eval.faces());
            boolean transfer = half == PersonSplit.EVALUATION;
            out.printf(Locale.ROOT, "%-62s %7s %9s %7s %9s %9s %9s%s%n", "variant", "ms/face", "accuracy", "std", "TAR@1e-4",
                    "TAR@1e-6", "thr@1e-6", transfer ? "   tuning thr@1e-6 here: false matches, FMR, TAR" : "");
            List<Map<String, Object>> rows = new ArrayList<>();
            for (FusionEval.Variant v : variants) {
                FusionEval.Result r = eval.evaluate(v, listed);
                double ms = cost(v, saved.msPerFace());
                VerificationMetrics m = r.pairs();
                String extra = "";
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("variant", v.name());
                row.put("ms_per_face", ms);
                row.put("genuine_pairs", r.genuine());
                row.put("impostor_pairs", r.impostors());
                row.put("accuracy", m == null ? null : m.accuracy());
                row.put("tar_at_fmr_1e-4", r.tar1e4());
                row.put("tar_at_fmr_1e-6", r.tar1e6());
                row.put("threshold_fmr_1e-6", r.thr1e6());
                if (transfer) {
                    FusionEval.Transfer t = eval.transfer(v, tuning.get(v).thr1e6());
                    extra = String.format(Locale.ROOT, "   %.4f: %d, %.1e, %.4f", t.threshold(), t.falseMatches(), t.fmr(), t.tar());
                    row.put("tuning_threshold_fmr_1e-6", t.threshold());
                    row.put("tuning_threshold_false_matches", t.falseMatches());
                    row.put("tuning_threshold_fmr", t.fmr());
                    row.put("tuning_threshold_tar", t.tar());
                } else {
                    tuning.put(v, r);
                }
                out.printf(Locale.ROOT, "%-62s %7.2f %9.4f %7.4f %9.4f %9.4f %9.4f%s%n", v.name(), ms,
                        m == null ? Double.NaN : m.accuracy(), m == null ? Double.NaN : m.accuracyStd(),
                        r.tar1e4(), r.tar1e6(), r.thr1e6(), extra);
                out.flush();
                rows.add(row);
            }
            json.put(half.label(), rows);
            if (half == PersonSplit.TUNING) {
                double budget = saved.msPerFace()[0] * COST_MARGIN;
                Comparator<Map.Entry<FusionEval.Variant, FusionEval.Result>> byTar = Comparator
                        .comparingDouble((Map.Entry<FusionEval.Variant, FusionEval.Result> e) -> e.getValue().tar1e6())
                        .thenComparingDouble(e -> e.getValue().tar1e4());
                java.util.Optional<FusionEval.Variant> best = tuning.entrySet().stream()
                        .filter(e -> !Double.isNaN(e.getValue().tar1e6()))
                        .filter(e -> cost(e.getKey(), saved.msPerFace()) <= budget)
                        .max(byTar).map(Map.Entry::getKey);
                java.util.Optional<FusionEval.Variant> bestAny = tuning.entrySet().stream()
                        .filter(e -> !Double.isNaN(e.getValue().tar1e6()))
                        .max(byTar).map(Map.Entry::getKey);
                if (best.isEmpty() || bestAny.isEmpty()) {
                    out.println("chosen: none (no variant has a TAR at FMR 1e-6 on this tuning half: too few pairs)");
                } else {
                    out.printf(Locale.ROOT, "chosen on the tuning half (highest TAR@1e-6 at <= %.2f ms per face): %s%n", budget, best.get().name());
                    out.printf(Locale.ROOT, "highest TAR@1e-6 at any cost: %s (%.2f ms per face)%n", bestAny.get().name(),
                            cost(bestAny.get(), saved.msPerFace()));
                }
                json.put("chosen", best.map(FusionEval.Variant::name).orElse(null));
                json.put("best_at_any_cost", bestAny.map(FusionEval.Variant::name).orElse(null));
                json.put("cost_budget_ms", budget);
            }
        }
        if (jsonOut != null) {
            Json.PRETTY.writeValue(jsonOut.toFile(), json);
        }
    }

    /** Embedder CPU of a variant per face: its members' costs, twice with flip. */
    static double cost(FusionEval.Variant v, double[] msPerFace) {
        double ms = 0;
        for (int p : v.parts()) {
            ms += msPerFace[p / 2] * (p % 2 == 1 ? 2 : 1);
        }
        return ms;
    }

    private static EmbedderBakeoff.Saved compute(Path images, List<String> ids, PrintWriter err) throws IOException {
        for (String id : ids) {
            if (!id.equals(ModelCatalogue.ARCFACE512)) {
                try {
                    ImportedEmbedder.byId(id);
                } catch (java.util.NoSuchElementException e) {
                    throw new org.likeness.cli.UserException(id + ": " + e.getMessage() + " or " + ModelCatalogue.ARCFACE512);
                }
            }
        }
        ModelStore store = ModelStore.fromEnvironment();
        List<String> files;
        try (Stream<Path> s = Files.walk(images, java.nio.file.FileVisitOption.FOLLOW_LINKS)) {
            files = s.filter(Files::isRegularFile).map(p -> images.relativize(p).toString().replace('\\', '/'))
                    .filter(p -> p.contains("/")).sorted().toList();
        }
        List<FaceEmbedder> embedders = new ArrayList<>();
        try (FaceDetector det = FacePipeline.detector(store, ModelCatalogue.ULTRAFACE, 1);
             LandmarkModel lm = new LandmarkModel(store.require(ModelCatalogue.LANDMARK68), 1)) {
            for (String id : ids) {
                embedders.add(id.equals(ModelCatalogue.ARCFACE512)
                        ? new FaceEmbedder(EmbedderSpec.FR_FEATURE, store.require(id), 1, false)
                        : ImportedEmbedder.byId(id).open(store, 1, false));
            }
            EmbedderBakeoff b = new EmbedderBakeoff(det, lm, embedders);
            AtomicLong done = new AtomicLong();
            long t0 = System.nanoTime();
            Map<String, float[][]> vectors = b.run(images, files, () -> {
                long d = done.incrementAndGet();
                if (d % 500 == 0) {
                    err.printf(Locale.ROOT, "bakeoff %d/%d photos, %.1f/s%n", d, files.size(), d / ((System.nanoTime() - t0) / 1e9));
                    err.flush();
                }
            }, (path, reason) -> {
                String file = images.resolve(path).toString();
                err.println("likeness: " + (reason.startsWith(file) ? reason : file + ": " + reason));
                err.flush();
            });
            double[] ms = new double[ids.size()];
            for (int e = 0; e < ms.length; e++) {
                ms[e] = b.msPerFace(e);
            }
            return new EmbedderBakeoff.Saved(ids, ms, vectors);
        } finally {
            embedders.forEach(FaceEmbedder::close);
        }
    }
}
