package org.likeness.lab;

import org.likeness.cli.BaseCommand;
import org.likeness.cli.ExitCodes;
import org.likeness.cli.UserException;
import org.likeness.face.EmbedderSpec;
import org.likeness.json.Json;
import org.likeness.model.ModelStore;
import org.likeness.tfjs.ImportedEmbedder;
import org.likeness.tfjs.TfjsModel;
import org.likeness.tfjs.TfjsToOnnx;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code likeness eval import-tfjs (MODEL.json | --embedder ID) -o OUT.onnx}. With {@code --embedder} (a human-models
 * network of the catalogue, fetched by {@code models fetch --optional}) it also writes the descriptor {@code OUT.json}
 * the product reads beside a custom model, so {@code likeness scan --embedder OUT.onnx} runs the imported network.
 */
@Command(name = "import-tfjs", mixinStandardHelpOptions = true,
        description = "Convert a TF.js graph model (model.json + weight shards) into an ONNX model for ONNX Runtime.")
final class ImportTfjsCommand extends BaseCommand {
    @Parameters(index = "0", arity = "0..1", description = "The model.json of a TF.js graph model.")
    Path modelJson;
    @Option(names = "--embedder", paramLabel = "ID", description = "A catalogue embedder to import instead: human-mobileface-256, "
            + "human-faceres-1024, human-faceres-deep-1024, human-mobilefacenet-192; writes OUT.json beside OUT.onnx.")
    String embedder;
    @Option(names = {"-o", "--out"}, required = true, description = "ONNX file to write.")
    Path out;
    @Option(names = "--output", description = "Node to expose as a model output (repeatable; default: every sink node).")
    List<String> outputs = List.of();

    @Override
    public Integer call() throws IOException {
        if ((modelJson == null) == (embedder == null)) {
            throw new UserException("give either MODEL.json or --embedder ID");
        }
        TfjsModel model;
        List<String> outs = outputs;
        ImportedEmbedder imported = null;
        if (embedder != null) {
            try {
                imported = ImportedEmbedder.byId(embedder);
            } catch (java.util.NoSuchElementException e) {
                throw new UserException(embedder + ": " + e.getMessage());
            }
            model = imported.read(ModelStore.fromEnvironment());
            outs = List.of(imported.output());
        } else {
            model = TfjsModel.read(modelJson);
        }
        byte[] onnx;
        try {
            onnx = TfjsToOnnx.convert(model, outs);
        } catch (IllegalArgumentException e) {
            throw new UserException((modelJson != null ? modelJson : embedder) + ": cannot import: " + e.getMessage());
        }
        Files.write(out, onnx);
        out().printf("%s: %d nodes, %d weights -> %s (%d bytes)%n", modelJson != null ? modelJson : embedder,
                model.nodes().size(), model.weights().size(), out, onnx.length);
        if (imported != null) {
            EmbedderSpec s = imported.spec();
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("family", "embedder");
            d.put("size", s.size());
            d.put("layout", s.nchw() ? "NCHW" : "NHWC");
            d.put("channels", s.rgb() ? "RGB" : "BGR");
            d.put("mean", s.mean());
            d.put("std", s.std());
            Path descriptor = out.resolveSibling(out.getFileName().toString().replaceFirst("\\.onnx$", "") + ".json");
            Json.PRETTY.writeValue(descriptor.toFile(), d);
            out().printf("descriptor -> %s%n", descriptor);
        }
        return ExitCodes.OK;
    }
}
