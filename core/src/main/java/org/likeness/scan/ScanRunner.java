package org.likeness.scan;

import org.likeness.face.Face;
import org.likeness.face.FacePipeline;
import org.likeness.image.DecodeException;
import org.likeness.image.DecodedImage;
import org.likeness.image.ImageDecoder;
import org.likeness.model.Sha256;
import org.opencv.core.Mat;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Predicate;

/**
 * Runs decode → faces (→ hash) over a dataset on a fixed pool of threads, writing records in input order.
 * At most {@link #WINDOW_PER_THREAD} × threads files are in flight, so memory is bounded whatever the dataset size.
 */
public final class ScanRunner {
    /** Files in flight per worker: enough to hide read latency, small enough to bound memory (a few MB per file). */
    static final int WINDOW_PER_THREAD = 4;
    /** Failure lines kept for the summary; every failure is also printed as it happens. */
    static final int KEPT_FAILURES = 1000;

    /** Optional extra per-image work on the decoded pixels (e.g. the PDQ hash); returns {hex, quality}. */
    public interface ImageHasher {
        Hash hash(Mat bgr);

        record Hash(String hex, int quality) {
        }
    }

    private final FacePipeline pipeline;
    private final ImageDecoder decoder;
    private final ImageHasher hasher;
    private final int threads;

    public ScanRunner(FacePipeline pipeline, ImageDecoder decoder, ImageHasher hasher, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be ≥ 1: " + threads);
        }
        this.pipeline = pipeline;
        this.decoder = decoder;
        this.hasher = hasher;
        this.threads = threads;
    }

    /**
     * @param skip      paths to leave out (already in the output of an earlier run)
     * @param failures  where each failure is printed as "path: reason", one line
     */
    public ScanSummary run(DatasetReader reader, ScanSink writer, Predicate<String> skip, Progress progress,
                           PrintWriter failures) throws IOException {
        return run(reader, writer, skip, progress,
                failures == null ? null : (path, reason) -> failures.println("likeness: " + org.likeness.files.TerminalText.escape(path) + ": " + reason));
    }

    /** Where each file that failed is reported: its path as the dataset names it, and the reason. */
    public interface Failures {
        void failed(String path, String reason);
    }

    /**
     * @param skip      paths to leave out (already in the output of an earlier run)
     * @param failures  told of each failure as it happens (null: only kept for the summary)
     */
    public ScanSummary run(DatasetReader reader, ScanSink writer, Predicate<String> skip, Progress progress,
                           Failures failures) throws IOException {
        long t0 = System.nanoTime();
        long images = 0, faces = 0, failed = 0, skipped = 0;
        List<String> kept = new ArrayList<>();
        ExecutorService pool = org.likeness.files.Parallel.pool(threads, "scan");
        Deque<Future<ScanRecord>> window = new ArrayDeque<>();
        try {
            while (reader.hasNext() || !window.isEmpty()) {
                if (reader.hasNext() && window.size() < threads * WINDOW_PER_THREAD) {
                    DatasetEntry e = reader.next();
                    if (skip.test(e.path())) {
                        skipped++;
                        continue;
                    }
                    window.add(pool.submit(() -> process(e)));
                    continue;
                }
                ScanRecord r = take(window.poll());
                writer.write(r);
                images++;
                faces += r.faces().size();
                if (!r.ok()) {
                    failed++;
                    String line = org.likeness.files.TerminalText.escape(r.path()) + ": " + r.error();
                    if (kept.size() < KEPT_FAILURES) {
                        kept.add(line);
                    }
                    if (failures != null) {
                        failures.failed(r.path(), r.error());
                    }
                }
                progress.step();
            }
        } finally {
            org.likeness.files.Parallel.stop(pool);
            progress.finish();
        }
        return new ScanSummary(images, faces, failed, skipped, (System.nanoTime() - t0) / 1e9, kept);
    }

    private static ScanRecord take(Future<ScanRecord> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new IOException("scan interrupted", ie);
        } catch (ExecutionException ee) {
            throw new IOException("scan worker failed: " + ee.getCause(), ee.getCause());
        }
    }

    /** One file: never throws for a bad file, returns a failed record instead. */
    public ScanRecord process(DatasetEntry e) {
        if (e.error() != null) {
            return ScanRecord.failed(e.path(), null, e.error());
        }
        String sha = Sha256.of(e.bytes());
        try (DecodedImage img = decoder.decode(e.path(), e.bytes())) {
            List<Face> found = pipeline.faces(img.bgr());
            ImageHasher.Hash h = hasher == null ? null : hasher.hash(img.bgr());
            return new ScanRecord(e.path(), sha, img.format().name().toLowerCase(), img.width(), img.height(), found,
                    h == null ? null : h.hex(), h == null ? -1 : h.quality(), null);
        } catch (DecodeException de) {
            return ScanRecord.failed(e.path(), sha, de.reason());
        } catch (RuntimeException re) {
            return ScanRecord.failed(e.path(), sha, "processing failed: " + re.getMessage());
        }
    }
}
