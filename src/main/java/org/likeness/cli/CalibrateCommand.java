package org.likeness.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.likeness.eval.ImpostorCalibration;
import org.likeness.eval.LabelledFaces;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code likeness eval calibrate --images ROOT}. */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = "Similarity threshold for a false-match rate over every cross-identity pair of a person/photo folder.")
final class CalibrateCommand implements Callable<Integer> {
    @Option(names = "--fmr", description = "Target false-match rate (default ${DEFAULT-VALUE}).")
    double fmr = 1e-4;
    @Option(names = "--json", description = "Also write the result to this JSON file.")
    Path json;
    @Mixin
    LabelledSetOptions set;

    @Override
    public Integer call() throws IOException {
        LabelledSetOptions.Faces collected = set.collect();
        LabelledFaces faces = collected.faces();
        String embedder = collected.embedder();
        List<float[]> vectors = faces.vectors();
        ImpostorCalibration c = ImpostorCalibration.compute(vectors, faces.labels(), fmr);
        System.out.printf(Locale.ROOT, "embedder %s: threshold %.4f for FMR ≤ %.0e  (measured FMR %.2e over %d impostor pairs; TAR %.4f over %d genuine pairs; %d people, %d faces, %d images without a face)%n",
                embedder, c.threshold(), fmr, c.fmr(), c.impostors(), c.tar(), c.genuine(), faces.people(), vectors.size(), faces.noFace());
        if (json != null) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("embedder", embedder);
            o.put("images", set.images.toString());
            o.put("target_fmr", fmr);
            o.put("threshold", c.threshold());
            o.put("measured_fmr", c.fmr());
            o.put("impostor_pairs", c.impostors());
            o.put("genuine_pairs", c.genuine());
            o.put("tar", c.tar());
            o.put("people", faces.people());
            o.put("faces", vectors.size());
            o.put("no_face", faces.noFace());
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), o);
        }
        return ExitCodes.OK;
    }
}
