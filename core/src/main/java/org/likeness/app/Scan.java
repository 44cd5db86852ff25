package org.likeness.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.likeness.face.FacePipeline;
import org.likeness.files.ScratchFiles;
import org.likeness.hash.PdqHasher;
import org.likeness.hash.PdqResult;
import org.likeness.image.ImageDecoder;
import org.likeness.scan.DatasetReader;
import org.likeness.scan.Progress;
import org.likeness.scan.ScanFile;
import org.likeness.scan.ScanHeader;
import org.likeness.scan.ScanRecord;
import org.likeness.scan.ScanReuse;
import org.likeness.scan.ScanRunner;
import org.likeness.scan.ScanSummary;
import org.likeness.scan.ScanWriter;

/**
 * The scan use case: every file of a dataset through the face pipeline (and PDQ) into a scan file, resumable: a scan
 * cut short (killed, cancelled) keeps the records it wrote, and a later run with {@code resume} scans only the rest.
 */
public final class Scan {
    /** Opens the dataset (a folder or archive, or a list of files); opened again for each pass. */
    public interface Source {
        DatasetReader open() throws IOException;
    }

    /**
     * @param label    what the scan file's header names as its dataset
     * @param expected files expected (for the progress ETA), or -1
     * @param resume   keep the records already in {@code output} (same models) and scan only the rest
     * @param hash     compute PDQ hashes
     */
    public record Request(String label, Source source, long expected, Path output, boolean resume, boolean hash) {
    }

    private final FacePipeline pipeline;
    private final int threads;
    private final Listener listener;
    private final Cancellation cancellation;

    public Scan(FacePipeline pipeline, int threads, Listener listener, Cancellation cancellation) {
        this.pipeline = pipeline;
        this.threads = threads;
        this.listener = listener;
        this.cancellation = cancellation;
    }

    /** PDQ on the decoded pixels, one hasher per worker thread (a PdqHasher reuses its buffers). */
    public static ScanRunner.ImageHasher pdq() {
        ThreadLocal<PdqHasher> hashers = ThreadLocal.withInitial(PdqHasher::new);
        return bgr -> {
            PdqResult r = hashers.get().hash(bgr);
            return new ScanRunner.ImageHasher.Hash(r.hash().toHex(), r.quality());
        };
    }

    /** Each bad line of a scan file goes to the listener as {@code FILE: line N: REASON; line skipped}. */
    public static ScanFile.Problems problems(Listener listener, Path file) {
        return (line, reason) -> listener.problem(file.toString(), "line " + line + ": " + reason + "; line skipped");
    }

    /** Scans into {@code request.output()}; per-file failures go to the listener as they happen. */
    public ScanSummary run(Request request) throws IOException {
        Path output = request.output();
        ScanHeader header = new ScanHeader(ScanHeader.VERSION, request.label(), pipeline.detectorId(),
                pipeline.landmarksId(), pipeline.embedderId(), Instant.now().toString());
        Path parent = output.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = parent.resolve(output.getFileName() + ".resume" + (output.toString().endsWith(".gz") ? ".gz" : ""));
        // an output cut before its header was written (a kill right after it was created) holds nothing to resume
        boolean resuming = request.resume() && Files.exists(output) && ScanFile.hasCompleteHeader(output);
        Path target = resuming ? tmp : output;
        if (resuming) {
            ScanHeader old = ScanFile.readHeader(output);
            if (!old.sameModels(header)) {
                throw new RequestException(output + " was made with models " + old.embedder() + "/" + old.detector()
                        + "; cannot resume it with " + header.embedder() + "/" + header.detector());
            }
        }
        ScanRunner runner = new ScanRunner(pipeline, new ImageDecoder(), request.hash() ? pdq() : null, threads);
        ScanSummary summary;
        ScanReuse reuse = resuming ? ScanReuse.plan(output, request.source().open()) : null;
        if (reuse != null && reuse.upToDate()) {
            return new ScanSummary(0, 0, 0, reuse.count(), 0, List.of());
        }
        long expected = request.expected();
        try (org.likeness.scan.ScanSink writer = org.likeness.scan.ScanSink.open(target, header)) {
            if (reuse != null) {
                reuse.copy(output, (ScanWriter) writer);
            }
            try (DatasetReader reader = cancellation.guard(request.source().open())) {
                Progress p = listener.progress("scan", expected < 0 || reuse == null ? expected : expected - reuse.count());
                summary = runner.run(reader, writer, path -> reuse != null && reuse.reused(path), p, listener::problem);
            }
        }
        if (resuming) {
            Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        return summary;
    }

    /**
     * Scans into {@code scanFile} (kept; the records of an earlier scan by the same models are reused, so a run cut
     * short carries on) or, when it is null, into a temporary file that is deleted afterwards; then streams every record
     * to {@code sink}. With {@code home} set, the temporary file lies in $LIKENESS_HOME's scratch folder (registry data:
     * an erasure destroys what a killed run left there), else in the system temp folder (evaluation data only).
     */
    public ScanHeader scanThenRead(String label, Source source, long expected, Path scanFile, Path home, Consumer<ScanRecord> sink)
            throws IOException {
        Path out = scanFile != null ? scanFile
                : home != null ? ScratchFiles.create(home) : Files.createTempFile("likeness-", ".jsonl.gz");
        try {
            boolean reuse = false;
            if (scanFile != null && Files.exists(scanFile) && ScanFile.hasCompleteHeader(scanFile)) {
                ScanHeader old = ScanFile.readHeader(scanFile);
                reuse = old.detector().equals(pipeline.detectorId()) && old.landmarks().equals(pipeline.landmarksId())
                        && old.embedder().equals(pipeline.embedderId());
            }
            run(new Request(label, source, expected, out, reuse, true));
            return ScanFile.read(out, sink, problems(listener, out));
        } finally {
            if (scanFile == null) {
                Files.deleteIfExists(out);
            }
        }
    }
}
