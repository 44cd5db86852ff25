package org.likeness.lab;

import org.likeness.cli.BaseCommand;
import org.likeness.cli.ExitCodes;
import org.likeness.tfjs.TfjsModel;
import org.likeness.tfjs.TfjsToOnnx;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code likeness eval import-tfjs MODEL.json -o OUT.onnx [--output NODE]…}. */
@Command(name = "import-tfjs", mixinStandardHelpOptions = true,
        description = "Convert a TF.js graph model (model.json + weight shards) into an ONNX model for ONNX Runtime.")
final class ImportTfjsCommand extends BaseCommand {
    @Parameters(index = "0", description = "The model.json of a TF.js graph model.")
    Path modelJson;
    @Option(names = {"-o", "--out"}, required = true, description = "ONNX file to write.")
    Path out;
    @Option(names = "--output", description = "Node to expose as a model output (repeatable; default: every sink node).")
    List<String> outputs = List.of();

    @Override
    public Integer call() throws IOException {
        TfjsModel model = TfjsModel.read(modelJson);
        byte[] onnx = TfjsToOnnx.convert(model, outputs);
        Files.write(out, onnx);
        out().printf("%s: %d nodes, %d weights -> %s (%d bytes)%n", modelJson, model.nodes().size(), model.weights().size(), out, onnx.length);
        return ExitCodes.OK;
    }
}
