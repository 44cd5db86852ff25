package org.likeness.app;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.likeness.face.FacePipeline;
import org.likeness.scan.ScanHeader;
import org.likeness.scan.ScanRecord;

/**
 * How the use cases find the faces of a dataset: the face pipeline through {@link Scan}, or a fake in tests (the
 * pipeline needs the models and a few seconds per hundred photos).
 */
public interface FaceScanner {
    /**
     * Scans the dataset and streams every record to {@code sink}.
     *
     * @param scanFile where the scan is kept (an earlier scan there by the same models is resumed), or null for a
     *                 temporary file
     * @param scratch  with {@code scanFile} null: $LIKENESS_HOME, whose scratch folder holds the temporary file (an
     *                 erasure reaches it); null for the system temp folder
     */
    ScanHeader scan(String label, Scan.Source source, Path scanFile, Path scratch, Consumer<ScanRecord> sink, Listener listener,
                    Cancellation cancellation) throws IOException;

    /** The face pipeline that {@code pipelines} opens (one per scan, closed after it), on {@code threads} workers. */
    static FaceScanner of(Supplier<FacePipeline> pipelines, int threads) {
        return (label, source, scanFile, scratch, sink, listener, cancellation) -> {
            try (FacePipeline pipeline = pipelines.get()) {
                return new Scan(pipeline, threads, listener, cancellation).scanThenRead(label, source, -1, scanFile, scratch, sink);
            }
        };
    }
}
