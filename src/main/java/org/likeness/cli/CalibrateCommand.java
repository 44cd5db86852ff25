package org.likeness.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.likeness.eval.ImpostorCalibration;
import org.likeness.eval.PrimaryFace;
import org.likeness.face.FacePipeline;
import org.likeness.scan.DatasetReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

/** {@code likeness eval calibrate --images ROOT}. */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = "Similarity threshold for a false-match rate over every cross-identity pair of a person/photo folder.")
final class CalibrateCommand implements Callable<Integer> {
    @Option(names = "--images", required = true, description = "Labelled folder: one sub-folder per person.")
    Path images;
    @Option(names = "--scan", description = "Scan file of the folder: reused when its models match, else written.")
    Path scan;
    @Option(names = "--fmr", description = "Target false-match rate (default ${DEFAULT-VALUE}).")
    double fmr = 1e-4;
    @Option(names = "--json", description = "Also write the result to this JSON file.")
    Path json;
    @Option(names = "--threads", description = "Worker threads (default: all cores).")
    int threads = Runtime.getRuntime().availableProcessors();
    @Mixin
    PipelineOptions pipelineOptions;

    @Override
    public Integer call() throws IOException {
        List<float[]> vectors = new ArrayList<>();
        List<Integer> ids = new ArrayList<>();
        Map<String, Integer> idOf = new HashMap<>();
        int[] noFace = {0};
        String embedder;
        try (FacePipeline pipeline = pipelineOptions.open(1)) {
            embedder = pipeline.embedderId();
            ScanCommand.scanThenRead(pipeline, images.toString(), () -> DatasetReader.open(images), -1, scan, threads, r -> {
                int slash = r.path().indexOf('/');
                if (slash < 0 || !r.ok()) {
                    return;
                }
                var f = PrimaryFace.of(r);
                if (f.isEmpty()) {
                    noFace[0]++;
                    return;
                }
                vectors.add(f.get().embedding().vector());
                ids.add(idOf.computeIfAbsent(r.path().substring(0, slash), k -> idOf.size()));
            });
        }
        ImpostorCalibration c = ImpostorCalibration.compute(vectors, ids.stream().mapToInt(Integer::intValue).toArray(), fmr);
        System.out.printf(Locale.ROOT, "embedder %s: threshold %.4f for FMR ≤ %.0e  (measured FMR %.2e over %d impostor pairs; TAR %.4f over %d genuine pairs; %d people, %d faces, %d images without a face)%n",
                embedder, c.threshold(), fmr, c.fmr(), c.impostors(), c.tar(), c.genuine(), idOf.size(), vectors.size(), noFace[0]);
        if (json != null) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("embedder", embedder);
            o.put("images", images.toString());
            o.put("target_fmr", fmr);
            o.put("threshold", c.threshold());
            o.put("measured_fmr", c.fmr());
            o.put("impostor_pairs", c.impostors());
            o.put("genuine_pairs", c.genuine());
            o.put("tar", c.tar());
            o.put("people", idOf.size());
            o.put("faces", vectors.size());
            o.put("no_face", noFace[0]);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), o);
        }
        return ExitCodes.OK;
    }
}
