package org.likeness.lab;

import org.likeness.cli.BaseCommand;
import org.likeness.cli.ClusterCommand;
import org.likeness.cli.ExitCodes;
import org.likeness.cli.JsonFileOption;

import org.likeness.json.Json;
import org.likeness.cluster.ChineseWhispers;
import org.likeness.eval.ClusterMetrics;
import org.likeness.eval.LabelledFaces;
import org.likeness.face.MatchThreshold;
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

/** {@code likeness eval cluster --images ROOT}. */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = "Identity clustering on a labelled person/photo folder: BCubed and pairwise precision/recall, identities found vs true.")
final class EvalClusterCommand extends BaseCommand {
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
        float threshold = MatchThreshold.atFmr(embedder, ChineseWhispers.edgeFmr(vectors.size()));
        long t0 = System.nanoTime();
        int[] label = ChineseWhispers.cluster(vectors, threshold, ClusterCommand.SEED);
        double seconds = (System.nanoTime() - t0) / 1e9;
        ClusterMetrics m = ClusterMetrics.of(label, faces.labels());
        out().printf(Locale.ROOT, "bcubed_f %.4f  bcubed_precision %.4f  bcubed_recall %.4f  pairwise_precision %.4f  pairwise_recall %.4f  identities_found %d  identities_true %d  (%d faces, threshold %.4f, %.1f s)%n",
                m.bcubedF(), m.bcubedPrecision(), m.bcubedRecall(), m.pairwisePrecision(), m.pairwiseRecall(), m.identitiesFound(),
                m.identitiesTrue(), vectors.size(), threshold, seconds);
        if (jsonOut.file() != null) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("bcubed_f", m.bcubedF());
            o.put("bcubed_precision", m.bcubedPrecision());
            o.put("bcubed_recall", m.bcubedRecall());
            o.put("pairwise_precision", m.pairwisePrecision());
            o.put("pairwise_recall", m.pairwiseRecall());
            o.put("identities_found", m.identitiesFound());
            o.put("identities_true", m.identitiesTrue());
            o.put("faces", vectors.size());
            o.put("threshold", threshold);
            Json.PRETTY.writeValue(jsonOut.file().toFile(), o);
        }
        return ExitCodes.OK;
    }
}
