package org.likeness.cli;

import org.likeness.face.FacePipeline;
import org.likeness.model.ModelStore;
import picocli.CommandLine.Option;

/** Options shared by every command that runs the face pipeline. */
final class PipelineOptions {
    @Option(names = "--detector", description = "Detector: ultraface-rfb320 (default), blazeface-front-128, blazeface-back-256.")
    String detector = org.likeness.model.ModelCatalogue.ULTRAFACE;

    @Option(names = "--no-flip", description = "Do not add the mirror image's vector (faster, slightly less accurate).")
    boolean noFlip;

    @Option(names = "--no-refine", description = "Run the landmark model once instead of twice.")
    boolean noRefine;

    FacePipeline open(int intraThreads) {
        FacePipeline.Options d = FacePipeline.Options.defaults(intraThreads);
        return FacePipeline.open(ModelStore.fromEnvironment(),
                new FacePipeline.Options(detector, d.flipTta() && !noFlip, d.refine() && !noRefine, intraThreads));
    }
}
