package org.likeness.lab;

import org.likeness.cli.PipelineOptions;
import org.likeness.cli.ScanCommand;
import org.likeness.cli.ThreadsOption;

import org.likeness.eval.LabelledFaces;
import org.likeness.face.FacePipeline;
import org.likeness.scan.DatasetReader;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/** Options of the commands that measure on a labelled person/photo folder, and the scan they all start with. */
final class LabelledSetOptions {
    @Option(names = "--images", required = true, description = "Labelled folder: one sub-folder per person.")
    Path images;
    @Option(names = "--scan", description = "Scan file of the folder: reused when its models match, else written.")
    Path scan;
    @Mixin
    ThreadsOption threadsOption;
    @Mixin
    PipelineOptions pipeline;

    /** The folder's primary faces (scanning it, or reusing --scan), and the id of the embedder that made them. */
    record Faces(LabelledFaces faces, String embedder) {
    }

    Faces collect(java.io.PrintWriter err) throws IOException {
        LabelledFaces faces = new LabelledFaces();
        return new Faces(faces, collect(err, faces));
    }

    /** Scans the folder (or reuses --scan) into {@code sink}; returns the id of the embedder that made the vectors. */
    String collect(java.io.PrintWriter err, java.util.function.Consumer<org.likeness.scan.ScanRecord> sink) throws IOException {
        try (FacePipeline p = pipeline.open(1)) {
            ScanCommand.scanThenRead(err, p, images.toString(), () -> DatasetReader.open(images), -1, scan, threadsOption.threads(), sink);
            return p.embedderId();
        }
    }
}
