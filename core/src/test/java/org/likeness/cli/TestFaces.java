package org.likeness.cli;

import org.likeness.registry.FaceSource;

/** The command line's face pipeline for tests of other packages (the HTTP service's enrolment). */
public final class TestFaces {
    private TestFaces() {
    }

    public static FaceSource open() {
        org.likeness.Models.store(); // fails with the instruction when the models are missing
        return PipelineFaceSource.openDefault();
    }
}
