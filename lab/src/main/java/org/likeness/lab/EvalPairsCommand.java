package org.likeness.lab;

import org.likeness.cli.BaseCommand;
import org.likeness.cli.ExitCodes;
import org.likeness.cli.JsonFileOption;
import org.likeness.cli.PipelineOptions;
import org.likeness.cli.ScanCommand;
import org.likeness.cli.ThreadsOption;
import org.likeness.cli.UserException;

import org.likeness.json.Json;
import org.likeness.eval.HalfPairs;
import org.likeness.eval.Pair;
import org.likeness.eval.PersonSplit;
import org.likeness.eval.PairsFile;
import org.likeness.eval.PrimaryFace;
import org.likeness.eval.VerificationMetrics;
import org.likeness.face.Face;
import org.likeness.face.FacePipeline;
import org.likeness.scan.DatasetReader;
import org.likeness.scan.ScanFile;
import org.likeness.scan.ScanHeader;
import org.likeness.scan.ScanRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code likeness eval pairs --images ROOT --pairs FILE [--split HALF]}, or {@code --split HALF} alone: pairs drawn
 * among one half's people in LFW view 2's layout (eval.HalfPairs; docs/BENCHMARKS.md, "LFW protocol").
 */
@Command(name = "pairs", mixinStandardHelpOptions = true,
        description = "The LFW verification protocol on any LFW-format pairs file, or on pairs drawn among one half's people: 10-fold accuracy, TAR@FMR, EER.")
final class EvalPairsCommand extends BaseCommand {
    /** Seed of the drawn pairs printed in README and docs/BENCHMARKS.md. */
    static final long DEFAULT_SEED = 1;
    /** Same pairs per fold, and as many different ones: 10 × 100 × 2 = 2,000 pairs, within the ~1,480 people of a half. */
    static final int DEFAULT_PER_FOLD = 100;

    @Option(names = "--images", required = true, description = "Root folder of the images (name/name_0001.jpg layout).")
    Path images;
    @Option(names = "--pairs", description = "Pairs file (LFW format). With --split: only its pairs whose two people are in that half.")
    Path pairsFile;
    @Option(names = "--split", paramLabel = "HALF",
            description = "tuning, evaluation or all (eval.PersonSplit). Without --pairs: draw pairs among that half's people, 10 person-disjoint folds as in LFW view 2.")
    String split;
    @Option(names = "--seed", paramLabel = "N", description = "Seed of the drawn pairs (default 1).")
    long seed = DEFAULT_SEED;
    @Option(names = "--per-fold", paramLabel = "N", description = "Drawn same pairs per fold, and as many different ones (default 100).")
    int perFold = DEFAULT_PER_FOLD;
    @Option(names = "--write-pairs", paramLabel = "FILE", description = "Also write the drawn pairs (LFW format) to FILE.")
    Path writePairs;
    @Mixin
    JsonFileOption jsonOut;
    @Option(names = "--scan", description = "Scan file holding the images' vectors: only read when it holds every image of the pairs with the same models; else the pairs' images are scanned into it (reusing what it holds; the rest of it is dropped).")
    Path scan;
    @Mixin
    ThreadsOption threadsOption;
    @Mixin
    PipelineOptions pipelineOptions;

    @Override
    public Integer call() throws IOException {
        PersonSplit half = split == null ? null : SplitOption.parse(split);
        List<Pair> pairs;
        String source;
        if (pairsFile != null) {
            pairs = PairsFile.read(pairsFile);
            source = pairsFile.toString();
            if (half != null && half != PersonSplit.ALL) {
                int listed = pairs.size();
                pairs = HalfPairs.restrict(pairs, half);
                long same = pairs.stream().filter(Pair::same).count();
                out().printf(Locale.ROOT, "%s: %d of %d pairs have both people in the %s half (%d same, %d different)%n", pairsFile,
                        pairs.size(), listed, half.label(), same, pairs.size() - same);
                if (pairs.isEmpty()) {
                    throw new UserException(pairsFile + ": no pair has both people in the " + half.label() + " half");
                }
                source = pairsFile + " (" + half.label() + " half)";
            }
        } else if (half != null) {
            String text;
            try {
                text = HalfPairs.generate(HalfPairs.list(images), half, HalfPairs.LFW_FOLDS, perFold, seed);
            } catch (IllegalArgumentException e) {
                throw new UserException(images + ": " + e.getMessage());
            }
            Path file = writePairs;
            if (file == null) {
                file = Files.createTempFile("likeness-pairs-", ".txt");
                file.toFile().deleteOnExit();
            }
            Files.writeString(file, text);
            pairs = PairsFile.read(file);
            source = "drawn: " + half.label() + " half, seed " + seed;
            out().printf(Locale.ROOT, "%d pairs drawn among %d people of the %s half (%d folds of %d same + %d different, person-disjoint; seed %d)%s%n",
                    pairs.size(), pairs.stream().flatMap(p -> java.util.stream.Stream.of(HalfPairs.person(p.a()), HalfPairs.person(p.b())))
                            .distinct().count(), half.label(), HalfPairs.LFW_FOLDS, perFold, perFold, seed,
                    writePairs == null ? "" : "; written to " + writePairs);
        } else {
            throw new UserException("give --pairs FILE, --split HALF, or both");
        }
        List<String> files = List.copyOf(pairs.stream().flatMap(p -> java.util.stream.Stream.of(p.a(), p.b()))
                .collect(java.util.stream.Collectors.toCollection(LinkedHashSet::new)));
        Map<String, ScanRecord> byPath = vectors(files);
        int noFace = 0;
        Map<String, Optional<Face>> primary = new HashMap<>();
        for (String f : files) {
            ScanRecord r = byPath.get(f);
            Optional<Face> face = r == null ? Optional.empty() : PrimaryFace.of(r);
            primary.put(f, face);
            if (face.isEmpty()) {
                noFace++;
            }
        }
        double[] scores = new double[pairs.size()];
        boolean[] same = new boolean[pairs.size()];
        int[] folds = pairs.get(0).fold() >= 0 ? new int[pairs.size()] : null;
        for (int i = 0; i < pairs.size(); i++) {
            Pair p = pairs.get(i);
            Optional<Face> a = primary.get(p.a());
            Optional<Face> b = primary.get(p.b());
            // a pair with a missing face is scored as the least similar possible: it counts against "same" pairs
            scores[i] = a.isPresent() && b.isPresent() ? a.get().embedding().similarity(b.get().embedding()) : -1;
            same[i] = p.same();
            if (folds != null) {
                folds[i] = p.fold();
            }
        }
        VerificationMetrics m = VerificationMetrics.compute(scores, same, folds);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("pairs_file", source);
        out.put("pairs", pairs.size());
        out.put("folds", folds != null ? "from file" : "10-fold cross-validation of the threshold");
        out.put("accuracy", m.accuracy());
        out.put("accuracy_std", m.accuracyStd());
        out.put("tar_at_fmr_1e-3", m.tarAtFmr1e3());
        out.put("tar_at_fmr_1e-4", m.tarAtFmr1e4());
        out.put("eer", m.eer());
        out.put("threshold", m.threshold());
        out.put("images", files.size());
        out.put("no_face", noFace);
        out().printf(Locale.ROOT, "accuracy %.4f ± %.4f  TAR@FMR1e-3 %.4f  TAR@FMR1e-4 %.4f  EER %.4f  threshold %.4f  images %d  no_face %d%n",
                m.accuracy(), m.accuracyStd(), m.tarAtFmr1e3(), m.tarAtFmr1e4(), m.eer(), m.threshold(), files.size(), noFace);
        if (jsonOut.file() != null) {
            Json.PRETTY.writeValue(jsonOut.file().toFile(), out);
        }
        return ExitCodes.OK;
    }


    private Map<String, ScanRecord> vectors(List<String> files) throws IOException {
        Map<String, ScanRecord> byPath = new HashMap<>();
        try (FacePipeline pipeline = pipelineOptions.open(1)) {
            if (scan != null && Files.exists(scan) && ScanFile.hasCompleteHeader(scan)
                    && ScanFile.readHeader(scan).sameModels(new ScanHeader(ScanHeader.VERSION, "", pipeline.detectorId(),
                    pipeline.landmarksId(), pipeline.embedderId(), ""))) {
                // a scan of the whole folder is only read: reusing it as a scan of the pairs' images would drop the rest
                java.util.Set<String> wanted = new java.util.HashSet<>(files);
                ScanFile.read(scan, r -> {
                    if (wanted.contains(r.path())) {
                        byPath.put(r.path(), r);
                    }
                }, ScanCommand.problems(err(), scan));
                if (byPath.keySet().containsAll(wanted)) {
                    return byPath;
                }
                byPath.clear();
            }
            ScanCommand.scanThenRead(err(), pipeline, images.toString(), () -> DatasetReader.ofFiles(images, files), files.size(), scan,
                    threadsOption.threads(), r -> byPath.put(r.path(), r));
        }
        return byPath;
    }
}
