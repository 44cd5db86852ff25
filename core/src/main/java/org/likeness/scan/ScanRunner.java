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
 * Runs decode → faces (→ hash) over a dataset on a fixed pool of threads, writing records in input order. Files go to
 * the workers in small groups, whose faces are found model by model ({@link FacePipeline#faces(List)}). At most
 * {@link #GROUPS_PER_THREAD} × threads groups are in flight, so memory is bounded whatever the dataset size.
 */
public final class ScanRunner {
    /** Groups in flight per worker: one being processed, one read ahead to hide read latency. */
    static final int GROUPS_PER_THREAD = 2;
    /**
     * Files a worker takes at once: each model then runs on them one after the other, its weights still in the
     * core's cache (detector, landmarks, embedder ≈ 0.45 ms less per photo of 250×250, docs/BENCHMARKS.md, "Scan CPU,
     * second pass"). Small, as its files are held decoded together.
     */
    static final int GROUP_FILES = 4;
    /** A group closes before its files' bytes pass this: large files go one by one, as before grouping (1 MiB). */
    static final long GROUP_BYTES = 1L << 20;
    /**
     * A decoded image of more pixels than this (1 Mpx) is processed on its own as soon as it is decoded, not held for
     * its group: a worker never holds more than {@link #GROUP_FILES} such images (12 MB of BGR).
     */
    static final long GROUP_PIXELS = 1L << 20;
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
        Deque<Future<List<ScanRecord>>> window = new ArrayDeque<>();
        List<DatasetEntry> group = new ArrayList<>();
        long groupBytes = 0;
        try {
            while (reader.hasNext() || !group.isEmpty() || !window.isEmpty()) {
                if (window.size() < threads * GROUPS_PER_THREAD && (reader.hasNext() || !group.isEmpty())) {
                    DatasetEntry e = reader.hasNext() ? reader.next() : null;
                    if (e != null && skip.test(e.path())) {
                        skipped++;
                        continue;
                    }
                    long bytes = e == null || e.bytes() == null ? 0 : e.bytes().length;
                    if (e != null && (group.isEmpty() || groupBytes + bytes <= GROUP_BYTES) && group.size() < GROUP_FILES) {
                        group.add(e);
                        groupBytes += bytes;
                        if (group.size() < GROUP_FILES && reader.hasNext()) {
                            continue;
                        }
                        e = null;
                    }
                    List<DatasetEntry> full = List.copyOf(group);
                    window.add(pool.submit(() -> process(full)));
                    group.clear();
                    groupBytes = 0;
                    if (e != null) {
                        group.add(e);
                        groupBytes = bytes;
                    }
                    continue;
                }
                for (ScanRecord r : take(window.poll())) {
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
            }
        } finally {
            org.likeness.files.Parallel.stop(pool);
            progress.finish();
        }
        return new ScanSummary(images, faces, failed, skipped, (System.nanoTime() - t0) / 1e9, kept);
    }

    private static <T> T take(Future<T> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new IOException("scan interrupted", ie);
        } catch (ExecutionException ee) {
            throw new IOException("scan worker failed: " + ee.getCause(), ee.getCause());
        }
    }

    /**
     * A group of files, a record each in the same order: never throws for a bad file. The faces of the images decoded
     * and held are found together; should that fail, each of them is processed alone, so that a failure is reported
     * against its own file only.
     */
    List<ScanRecord> process(List<DatasetEntry> group) {
        if (group.size() == 1) {
            return List.of(process(group.get(0)));
        }
        ScanRecord[] out = new ScanRecord[group.size()];
        List<Integer> held = new ArrayList<>();
        List<DecodedImage> decoded = new ArrayList<>();
        List<String> shas = new ArrayList<>();
        try {
            for (int i = 0; i < out.length; i++) {
                DatasetEntry e = group.get(i);
                if (e.error() != null) {
                    out[i] = ScanRecord.failed(e.path(), null, e.error());
                    continue;
                }
                String sha = Sha256.of(e.bytes());
                DecodedImage img;
                try {
                    img = decoder.decode(e.path(), e.bytes());
                } catch (DecodeException de) {
                    out[i] = ScanRecord.failed(e.path(), sha, de.reason());
                    continue;
                } catch (RuntimeException re) {
                    out[i] = ScanRecord.failed(e.path(), sha, "processing failed: " + re.getMessage());
                    continue;
                }
                if ((long) img.width() * img.height() > GROUP_PIXELS) {
                    try (img) {
                        out[i] = described(e, sha, img, null);
                    }
                    continue;
                }
                held.add(i);
                decoded.add(img);
                shas.add(sha);
            }
            List<List<Face>> found = null;
            if (!decoded.isEmpty()) {
                try {
                    found = pipeline.faces(decoded.stream().map(DecodedImage::bgr).toList());
                } catch (RuntimeException re) {
                    found = null; // each alone below, so that the failure is its own file's
                }
            }
            for (int k = 0; k < held.size(); k++) {
                out[held.get(k)] = described(group.get(held.get(k)), shas.get(k), decoded.get(k), found == null ? null : found.get(k));
            }
        } finally {
            decoded.forEach(DecodedImage::close);
        }
        return List.of(out);
    }

    /** The record of a decoded file: its faces found here unless given, and its hash; a failure is its record. */
    private ScanRecord described(DatasetEntry e, String sha, DecodedImage img, List<Face> faces) {
        try {
            List<Face> found = faces != null ? faces : pipeline.faces(img.bgr());
            ImageHasher.Hash h = hasher == null ? null : hasher.hash(img.bgr());
            return new ScanRecord(e.path(), sha, img.format().name().toLowerCase(), img.width(), img.height(), found,
                    h == null ? null : h.hex(), h == null ? -1 : h.quality(), null);
        } catch (RuntimeException re) {
            return ScanRecord.failed(e.path(), sha, "processing failed: " + re.getMessage());
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
