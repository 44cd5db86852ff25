package org.likeness.cli;

import org.likeness.face.Face;
import org.likeness.face.FacePipeline;
import org.likeness.face.MatchThreshold;
import org.likeness.image.DecodeException;
import org.likeness.image.DecodedImage;
import org.likeness.image.ImageDecoder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code likeness compare A B}. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Similarity of the most prominent face of each photo, and same/different at the calibrated threshold.")
final class CompareCommand extends BaseCommand {
    @Parameters(index = "0", description = "First photo.")
    Path a;
    @Parameters(index = "1", description = "Second photo.")
    Path b;
    @Mixin
    PipelineOptions pipelineOptions;

    @Override
    public Integer call() throws IOException {
        ImageDecoder decoder = new ImageDecoder();
        try (FacePipeline pipeline = pipelineOptions.open(Runtime.getRuntime().availableProcessors())) {
            Face fa = bestFace(decoder, pipeline, a);
            Face fb = bestFace(decoder, pipeline, b);
            float sim = fa.embedding().similarity(fb.embedding());
            float thr = MatchThreshold.forModel(pipeline.embedderId());
            out().printf(Locale.ROOT, "similarity %.4f  threshold %.4f (FMR 1e-4)  -> %s%n", sim, thr,
                    sim >= thr ? "same person" : "different people");
            return ExitCodes.OK;
        }
    }

    static Face bestFace(ImageDecoder decoder, FacePipeline pipeline, Path p) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(p);
        } catch (NoSuchFileException e) {
            throw new UserException(p + ": no such file");
        }
        try (DecodedImage img = decoder.decode(p.toString(), bytes)) {
            List<Face> faces = pipeline.faces(img.bgr());
            return faces.stream().max(Comparator.comparingDouble(f -> f.box().area() * f.score()))
                    .orElseThrow(() -> new UserException(p + ": no face found"));
        } catch (DecodeException e) {
            throw new UserException(e.getMessage());
        }
    }
}
