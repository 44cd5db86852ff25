package org.likeness.lab;

import org.likeness.cli.BaseCommand;
import org.likeness.cli.ExitCodes;
import org.likeness.cli.JsonFileOption;

import org.likeness.json.Json;
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
final class CalibrateCommand extends BaseCommand {
    @Option(names = "--fmr", description = "Target false-match rate (default ${DEFAULT-VALUE}).")
    double fmr = 1e-4;
    @Mixin
    JsonFileOption jsonOut;
    @Mixin
    LabelledSetOptions set;

    @Override
    public Integer call() throws IOException {
        LabelledSetOptions.Faces collected = set.collect(err());
        LabelledFaces faces = collected.faces();
        String embedder = collected.embedder();
        List<float[]> vectors = faces.vectors();
        ImpostorCalibration c = ImpostorCalibration.compute(vectors, faces.labels(), fmr);
        out().printf(Locale.ROOT, "embedder %s: threshold %.4f for FMR ≤ %.0e  (measured FMR %.2e over %d impostor pairs; TAR %.4f over %d genuine pairs; %d people, %d faces, %d images without a face)%n",
                embedder, c.threshold(), fmr, c.fmr(), c.impostors(), c.tar(), c.genuine(), faces.people(), vectors.size(), faces.noFace());
        if (jsonOut.file() != null) {
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
            Json.PRETTY.writeValue(jsonOut.file().toFile(), o);
        }
        return ExitCodes.OK;
    }
}
