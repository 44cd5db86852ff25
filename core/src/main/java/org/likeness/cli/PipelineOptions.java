package org.likeness.cli;

import org.likeness.face.FacePipeline;
import org.likeness.model.ModelStore;
import picocli.CommandLine.Option;

/** Options shared by every command that runs the face pipeline. */
public final class PipelineOptions {
    @Option(names = "--detector", converter = Choices.Detector.class, completionCandidates = Choices.Detector.class, description = "Detector: ultraface-rfb320 (default), blazeface-front-128, blazeface-back-256, "
            + "or your own FILE.onnx with FILE.json beside it ({\"family\": \"yunet\"|\"ultraface\"|\"blazeface-128\"|\"blazeface-256\"}).")
    String detector = org.likeness.model.ModelCatalogue.ULTRAFACE;

    @Option(names = "--embedder", description = "Your own embedder FILE.onnx with FILE.json beside it "
            + "({\"family\": \"embedder\", \"size\": 112, \"layout\": \"NCHW\", \"channels\": \"RGB\", \"mean\": 127.5, \"std\": 128}).")
    java.nio.file.Path embedder;

    @Option(names = "--flip", description = "Add the mirror image's vector (1.6x the compute; +0.4 points TAR at FMR 1e-4 on lfw-dev).")
    boolean flip;

    @Option(names = "--refine", description = "Run the landmark model a second time on a box fitted to the first pass's points.")
    boolean refine;

    public FacePipeline open(int intraThreads) {
        FacePipeline.Options d = FacePipeline.Options.defaults(intraThreads);
        org.likeness.model.ModelDescriptor custom = null;
        if (embedder != null) {
            custom = org.likeness.model.ModelDescriptor.read(embedder);
            if (custom.isDetector()) {
                throw new UserException(embedder + ": its descriptor says family '" + custom.family() + "', a detector; --embedder needs family embedder");
            }
        }
        return FacePipeline.open(ModelStore.fromEnvironment(),
                new FacePipeline.Options(detector, d.flipTta() || flip, d.refine() || refine, intraThreads), custom);
    }
}
