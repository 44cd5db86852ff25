package org.likeness.redact;

import org.likeness.face.Box;
import org.likeness.image.DecodeException;
import org.likeness.image.DecodedImage;
import org.likeness.image.ImageDecoder;
import org.likeness.image.ImageEncoder;
import org.likeness.model.Sha256;
import org.likeness.scan.DatasetEntry;
import org.likeness.scan.DatasetReader;
import org.likeness.scan.OutputTree;
import org.likeness.scan.Progress;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes the cleaned copy of a dataset: same layout and names, unconsented faces anonymised (or their images dropped),
 * everything else byte-identical, and {@code manifest.json} listing every file. The input is only read. While the copy
 * is being written, {@code OUT/}{@value RedactionJournal#INCOMPLETE_MARKER} says so; each file is written to a temporary
 * name and renamed, and journalled after, so a killed run can be resumed and ends byte-identical to an uninterrupted one
 * (the anonymising noise is seeded from each image's content).
 */
public final class Redactor {
    /** Files in flight per worker: hides read latency, bounds memory. */
    static final int WINDOW_PER_THREAD = 4;

    private final RedactionPlan plan;
    private final RedactMode mode;
    private final int threads;
    private final ImageDecoder decoder = new ImageDecoder();

    public Redactor(RedactionPlan plan, RedactMode mode) {
        this(plan, mode, Runtime.getRuntime().availableProcessors());
    }

    public Redactor(RedactionPlan plan, RedactMode mode, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be ≥ 1: " + threads);
        }
        this.plan = plan;
        this.mode = mode;
        this.threads = threads;
    }

    private record Step(ManifestEntry entry, boolean fresh) {
    }

    private static Step take(Future<Step> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new IOException("redaction interrupted", ie);
        } catch (ExecutionException ee) {
            if (ee.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("redaction worker failed: " + ee.getCause(), ee.getCause());
        }
    }

    /**
     * @param dataset folder, archive or single image, as for scan
     * @param out     the copy's folder: must be absent or empty, unless {@code resume}
     */
    public Manifest run(Path dataset, Path out, boolean resume, Progress progress) throws IOException {
        OutputTree.checkOutside(dataset, out, "the copy");
        CopyLayout layout = CopyLayout.of(dataset, out);
        try (RedactionJournal journal = RedactionJournal.open(out, header(dataset), resume)) {
            List<ManifestEntry> entries = new ArrayList<>();
            ExecutorService pool = org.likeness.files.Parallel.pool(threads, "redact");
            // files are processed on every core and journalled in dataset order
            Deque<Future<Step>> window = new ArrayDeque<>();
            try (DatasetReader reader = DatasetReader.open(dataset)) {
                while (reader.hasNext() || !window.isEmpty()) {
                    if (reader.hasNext() && window.size() < WINDOW_PER_THREAD * threads) {
                        DatasetEntry e = reader.next();
                        ManifestEntry done = journal.done(e.path());
                        if (done != null && layout.holds(done)) {
                            window.add(CompletableFuture.completedFuture(new Step(done, false)));
                        } else {
                            window.add(pool.submit(() -> new Step(process(e, layout), true)));
                        }
                        continue;
                    }
                    Step step = take(window.poll());
                    if (step.fresh()) {
                        journal.record(step.entry());
                    }
                    entries.add(step.entry());
                    progress.step();
                }
            } finally {
                org.likeness.files.Parallel.stop(pool);
            }
            progress.finish();
            layout.finish(dataset, entries);
            Manifest m = new Manifest(dataset.toString(), plan.source(), mode.word(), List.copyOf(new java.util.TreeSet<>(plan.keep())),
                    entries);
            m.write(out.resolve(Manifest.FILE_NAME));
            journal.complete();
            return m;
        }
    }

    private Map<String, String> header(Path dataset) {
        return Map.of("dataset", dataset.toAbsolutePath().normalize().toString(), "plan", plan.identity(), "mode", mode.word());
    }

    private ManifestEntry process(DatasetEntry e, CopyLayout layout) throws IOException {
        if (e.error() != null) {
            return withheld(e.path(), 0, null, "unreadable: " + e.error());
        }
        String sha = Sha256.of(e.bytes());
        String failed = plan.failures().get(e.path());
        if (failed != null) {
            return withheld(e.path(), 0, sha, "the audit could not check it: " + failed);
        }
        PlannedImage p = plan.images().get(e.path());
        if (p == null) {
            return withheld(e.path(), 0, sha, "not in the findings (added after the audit?): audit it first");
        }
        if (!p.sha256().equals(sha)) {
            return withheld(e.path(), p.faces(), sha, "changed since the audit (sha256 " + sha.substring(0, 12) + "… was "
                    + p.sha256().substring(0, 12) + "…): audit it again");
        }
        if (p.redact().isEmpty()) {
            try {
                decoder.inspect(e.path(), e.bytes()); // findings of an older build may have passed a file holding a second picture
            } catch (DecodeException ex) {
                return withheld(e.path(), p.faces(), sha, "not passed on unchanged: " + ex.reason());
            }
            String refused = put(layout, e.path(), e.bytes(), false);
            return refused != null ? withheld(e.path(), p.faces(), sha, refused)
                    : new ManifestEntry(e.path(), ManifestEntry.COPIED, p.faces(), 0, sha, sha, null);
        }
        if (mode == RedactMode.DROP) {
            return new ManifestEntry(e.path(), ManifestEntry.DROPPED, p.faces(), p.redact().size(), sha, null, null);
        }
        byte[] redacted;
        try {
            redacted = anonymise(e.path(), e.bytes(), sha, p.redact());
        } catch (DecodeException ex) {
            return withheld(e.path(), p.faces(), sha, "cannot redact: " + ex.reason());
        }
        String refused = put(layout, e.path(), redacted, true);
        if (refused != null) {
            return withheld(e.path(), p.faces(), sha, refused);
        }
        return new ManifestEntry(e.path(), ManifestEntry.REDACTED, p.faces(), p.redact().size(), sha, Sha256.of(redacted), null);
    }

    private static ManifestEntry withheld(String path, int faces, String sha, String reason) {
        return new ManifestEntry(path, ManifestEntry.WITHHELD, faces, 0, sha, null, reason);
    }

    /** Decodes, anonymises every listed face and encodes in the same format. */
    byte[] anonymise(String name, byte[] bytes, String sha, List<Box> faces) throws DecodeException {
        try (DecodedImage img = decoder.decode(name, bytes)) {
            if (!ImageEncoder.canWrite(img.format())) {
                throw new DecodeException(name, "cannot write " + img.format() + " images");
            }
            for (Box face : faces) {
                Box inside = face.clip(img.bgr().cols(), img.bgr().rows());
                if (inside == null) {
                    // nothing to anonymise is not "redacted": the findings do not describe this image
                    throw new DecodeException(name, "findings box " + face.x() + "," + face.y() + " " + face.w() + "x" + face.h()
                            + " lies outside the " + img.bgr().cols() + "x" + img.bgr().rows() + " image");
                }
            }
            for (int i = 0; i < faces.size(); i++) {
                SplittableRandom random = Anonymiser.randomFor(sha, i);
                Anonymiser.apply(img.bgr(), faces.get(i), mode, random);
            }
            return ImageEncoder.encode(name, img.bgr(), img.format());
        }
    }

    /**
     * Writes one file of the copy; a name that cannot be written as it is, or a file the file system refuses, withholds
     * that file only (null: written). A full disk stops the copy, which --resume finishes.
     */
    private static String put(CopyLayout layout, String path, byte[] bytes, boolean changed) throws IOException {
        try {
            layout.put(path, bytes, changed);
            return null;
        } catch (OutputTree.RefusedName e) {
            return "cannot be written under its name: " + e.reason();
        } catch (java.nio.file.FileSystemException e) {
            if (e.getReason() != null && e.getReason().contains("No space left")) {
                throw e; // the whole copy stops, resumable once there is room
            }
            return "cannot be written: " + (e.getReason() != null ? e.getReason() : e.getClass().getSimpleName());
        }
    }
}
