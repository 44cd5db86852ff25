package org.likeness.app;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.likeness.model.Sha256;
import org.likeness.registry.ConsentGrant;
import org.likeness.registry.EnrolFace;
import org.likeness.registry.FaceSource;
import org.likeness.registry.InputTime;
import org.likeness.registry.Purpose;
import org.likeness.registry.Registry;
import org.likeness.registry.RegistryException;

/**
 * Enrols many subjects in one process: each row's photos are read by the face pipeline on {@code threads} workers,
 * then the subject, its templates and its consents are written in one registry transaction, in manifest order.
 * A row is all or nothing: any problem (a photo without a face, several faces and no choice, an unknown purpose, a
 * date that does not parse, an id already taken) refuses that row with its reason and the import goes on.
 */
public final class SubjectImport {
    /** Rows whose faces may be computed ahead of the writer, per worker: bounds memory for very long manifests. */
    static final int WINDOW_PER_THREAD = 8;

    /** Where imported subjects go: the registry, or a fake in tests. */
    public interface Store {
        void addSubject(String id, String name, String modelId, List<EnrolFace> faces, List<ConsentGrant> grants);

        /** Appends one entry to the hash-chained log. */
        void record(String action, Map<String, ?> payload);

        static Store of(Registry registry) {
            return new Store() {
                @Override
                public void addSubject(String id, String name, String modelId, List<EnrolFace> faces, List<ConsentGrant> grants) {
                    registry.addSubject(id, name, modelId, faces, grants);
                }

                @Override
                public void record(String action, Map<String, ?> payload) {
                    registry.record(action, payload);
                }
            };
        }
    }

    /** Called once per row, in manifest order, after it was written or refused ({@code refusal} null when written). */
    public interface Listener {
        void rowDone(ImportRow row, ImportReport.Refusal refusal);

        Listener NONE = (row, refusal) -> { };
    }

    private final FaceSource faces;
    private final Store store;
    private final int threads;

    public SubjectImport(FaceSource faces, Store store, int threads) {
        this.faces = Objects.requireNonNull(faces, "faces");
        this.store = Objects.requireNonNull(store, "store");
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threads);
        }
        this.threads = threads;
    }

    /**
     * Imports the rows; {@code earlier} are refusals found while reading the manifest (lines that did not parse), kept
     * in the report. {@code manifestSha256} goes into the log entry that records the import.
     */
    public ImportReport run(List<ImportRow> rows, List<ImportReport.Refusal> earlier, String manifestSha256,
                            Listener listener) {
        List<ImportReport.Refusal> refused = new ArrayList<>(earlier);
        int imported = 0;
        int consents = 0;
        ExecutorService pool = org.likeness.files.Parallel.pool(threads, "subject-import");
        try {
            Deque<Future<Prepared>> window = new ArrayDeque<>();
            int next = 0;
            while (next < rows.size() || !window.isEmpty()) {
                while (next < rows.size() && window.size() < threads * WINDOW_PER_THREAD) {
                    ImportRow row = rows.get(next++);
                    window.add(pool.submit(() -> prepare(row)));
                }
                Prepared p = join(window.poll());
                ImportReport.Refusal refusal = p.refusal;
                if (refusal == null) {
                    try {
                        store.addSubject(p.row.id(), p.row.name(), faces.modelId(), p.faces, p.grants);
                        imported++;
                        consents += p.grants.size();
                    } catch (RegistryException e) {
                        refusal = refuse(p.row, e.getMessage());
                    }
                }
                if (refusal != null) {
                    refused.add(refusal);
                }
                listener.rowDone(p.row, refusal);
            }
        } finally {
            org.likeness.files.Parallel.stop(pool);
        }
        refused.sort(java.util.Comparator.comparingInt(ImportReport.Refusal::line));
        ImportReport report = new ImportReport(rows.size() + earlier.size(), imported, consents, refused);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("manifest_sha256", manifestSha256);
        payload.put("rows", report.rows());
        payload.put("imported", report.imported());
        payload.put("consents", report.consents());
        payload.put("refused", report.refused().size());
        store.record("subject.import", payload);
        return report;
    }

    private static Prepared join(Future<Prepared> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("import interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("import worker failed", e.getCause());
        }
    }

    /** Everything that can be checked before the write: faces found and chosen, consents parsed. Never throws. */
    private Prepared prepare(ImportRow row) {
        try {
            if (row.id() == null || row.id().isBlank()) {
                return new Prepared(row, refuse(row, "no subject id"));
            }
            if (row.photos().isEmpty()) {
                return new Prepared(row, refuse(row, "no photos: a subject needs at least one enrolment photo"));
            }
            List<ConsentGrant> grants = new ArrayList<>();
            for (ImportRow.Consent c : row.consents()) {
                grants.add(grant(row.id(), c));
            }
            List<EnrolFace> chosen = new ArrayList<>();
            for (var photo : row.photos()) {
                if (!Files.isRegularFile(photo)) {
                    return new Prepared(row, refuse(row, photo + ": not a regular file"));
                }
                chosen.add(choose(row, photo, faces.faces(photo)));
            }
            return new Prepared(row, chosen, grants);
        } catch (RegistryException | RowException | IOException e) {
            return new Prepared(row, refuse(row, e.getMessage()));
        } catch (RuntimeException e) {
            return new Prepared(row, refuse(row, "unexpected error: " + e));
        }
    }

    private static ConsentGrant grant(String subjectId, ImportRow.Consent c) throws IOException {
        Purpose purpose = Purpose.parse(c.purpose());
        Instant from = c.from() == null || c.from().isBlank() ? Instant.now() : InputTime.parse("from", c.from());
        Instant until = c.until() == null || c.until().isBlank() ? null : InputTime.parse("until", c.until());
        String evidence = null;
        if (c.evidence() != null) {
            if (!Files.isRegularFile(c.evidence())) {
                throw new RowException("evidence " + c.evidence() + ": not a regular file");
            }
            evidence = Sha256.of(c.evidence());
        }
        String basis = c.basis() == null || c.basis().isBlank() ? null : c.basis();
        return new ConsentGrant(subjectId, purpose, from, until, basis, evidence);
    }

    private static EnrolFace choose(ImportRow row, java.nio.file.Path photo, List<EnrolFace> found) {
        if (found.isEmpty()) {
            throw new RowException(photo + ": no face found");
        }
        if (row.face() == null) {
            if (found.size() > 1) {
                throw new RowException(photo + ": " + found.size() + " faces found: choose one with a face column (1.."
                        + found.size() + ")");
            }
            return found.get(0);
        }
        if (row.face() < 1 || row.face() > found.size()) {
            throw new RowException(photo + ": face " + row.face() + " but the photo has " + found.size() + " face(s)");
        }
        return found.get(row.face() - 1);
    }

    private static ImportReport.Refusal refuse(ImportRow row, String reason) {
        return new ImportReport.Refusal(row.line(), row.id(), reason);
    }

    /** A row's own problem: refuses the row, never the import. */
    private static final class RowException extends RuntimeException {
        RowException(String message) {
            super(message);
        }
    }

    private record Prepared(ImportRow row, List<EnrolFace> faces, List<ConsentGrant> grants, ImportReport.Refusal refusal) {
        Prepared(ImportRow row, List<EnrolFace> faces, List<ConsentGrant> grants) {
            this(row, faces, grants, null);
        }

        Prepared(ImportRow row, ImportReport.Refusal refusal) {
            this(row, List.of(), List.of(), refusal);
        }
    }
}
