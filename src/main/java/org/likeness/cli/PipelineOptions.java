package org.likeness.cli;

import org.likeness.face.FacePipeline;
import org.likeness.model.ModelStore;
import picocli.CommandLine.Option;

/** Options shared by every command that runs the face pipeline. */
final class PipelineOptions {
    @Option(names = "--no-flip", description = "Do not add the mirror image's vector (faster, slightly less accurate).")
    boolean noFlip;

    @Option(names = "--no-refine", description = "Run the landmark model once instead of twice.")
    boolean noRefine;

    FacePipeline open(int intraThreads) {
        FacePipeline.Options d = FacePipeline.Options.defaults(intraThreads);
        return FacePipeline.open(ModelStore.fromEnvironment(),
                new FacePipeline.Options(d.flipTta() && !noFlip, d.refine() && !noRefine, intraThreads));
    }
}
