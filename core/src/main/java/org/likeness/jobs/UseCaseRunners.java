package org.likeness.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.likeness.app.Audit;
import org.likeness.app.Cancellation;
import org.likeness.app.CollectionScan;
import org.likeness.app.FaceScanner;
import org.likeness.app.Listener;
import org.likeness.app.RegistrySession;
import org.likeness.app.Release;
import org.likeness.app.RequestException;
import org.likeness.app.Trace;
import org.likeness.audit.AuditResult;
import org.likeness.audit.AuditStatus;
import org.likeness.face.FacePipeline;
import org.likeness.json.Json;
import org.likeness.registry.CollectionChange;
import org.likeness.registry.CollectionInfo;
import org.likeness.registry.InputTime;
import org.likeness.registry.Purpose;
import org.likeness.trace.TraceResult;

/**
 * The use cases as jobs. Request fields (all strings): audit {@code dataset, label, purpose, at, show_faces}; trace
 * {@code suspect, faces}; collection-scan {@code name, dataset, owner, mode (add|rescan)}; release
 * {@code collection, recipient}. Outputs go to the job's folder: {@code report/} (findings.json, findings.csv,
 * report.html; trace.json), {@code release/} and {@code release.zip}.
 */
public final class UseCaseRunners implements JobEngine.Runners {
    /** The audit's report folder (and the trace's) inside a job's folder. */
    public static final String REPORT = "report";
    /** The release's copy inside a job's folder, and the archive of it that is downloaded. */
    public static final String RELEASE = "release";
    public static final String RELEASE_ZIP = "release.zip";

    private final RegistrySession session;
    private final Supplier<FacePipeline> pipelines;

    /** @param pipelines opens a face pipeline (one per job, closed after it) */
    public UseCaseRunners(RegistrySession session, Supplier<FacePipeline> pipelines) {
        this.session = session;
        this.pipelines = pipelines;
    }

    @Override
    public JobRunner runner(JobKind kind, int threads) {
        return switch (kind) {
            case AUDIT -> new Runner(true) {
                @Override
                public JsonNode run(Job job, boolean resumed, Listener listener, Cancellation cancellation) throws IOException {
                    return audit(job, threads, listener, cancellation);
                }
            };
            case TRACE -> new Runner(false) {
                @Override
                public JsonNode run(Job job, boolean resumed, Listener listener, Cancellation cancellation) throws IOException {
                    return trace(job, threads, listener, cancellation);
                }
            };
            case COLLECTION_SCAN -> new Runner(false) {
                @Override
                public JsonNode run(Job job, boolean resumed, Listener listener, Cancellation cancellation) throws IOException {
                    return collection(job, threads, listener, cancellation);
                }
            };
            case RELEASE -> new Runner(true) {
                @Override
                public JsonNode run(Job job, boolean resumed, Listener listener, Cancellation cancellation) throws IOException {
                    return release(job, threads, listener, cancellation);
                }
            };
        };
    }

    /** Audits resume from the scan cache in the report folder; releases finish from their INCOMPLETE marker. */
    private abstract static class Runner implements JobRunner {
        private final boolean resumable;

        Runner(boolean resumable) {
            this.resumable = resumable;
        }

        @Override
        public boolean resumable() {
            return resumable;
        }
    }

    static String required(Job job, String field) {
        String v = job.request().get(field);
        if (v == null || v.isBlank()) {
            throw new RequestException("job " + job.id() + ": the request has no " + field);
        }
        return v;
    }

    private static String actor(Job job) {
        return job.accountId() != null ? job.accountId() : "likeness-serve";
    }

    JsonNode audit(Job job, int threads, Listener listener, Cancellation cancellation) throws IOException {
        Path dataset = Path.of(required(job, "dataset"));
        Purpose purpose = Purpose.parse(required(job, "purpose"));
        String at = job.request().get("at");
        Instant when = at == null || at.isBlank() ? job.createdAt() : InputTime.parse("at", at);
        String label = job.request().getOrDefault("label", dataset.getFileName().toString());
        boolean showFaces = Boolean.parseBoolean(job.request().get("show_faces"));
        Audit.Result r = new Audit(FaceScanner.of(pipelines, threads), session, threads).run(new Audit.Request(dataset, label, purpose, when,
                job.folder().resolve(REPORT), showFaces, "job " + job.id() + ": audit " + label + " for " + purpose.word() + " at " + when,
                job.org()), listener, cancellation);
        AuditResult f = r.findings();
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("verdict", f.allConsented() ? "consented" : "not_consented");
        o.put("images", f.imageCount());
        o.put("faces", f.faceCount());
        o.put("identities", f.identityCount());
        for (AuditStatus s : AuditStatus.values()) {
            o.put(s.word(), f.count(s));
        }
        o.put("failed", f.failedCount());
        return o;
    }

    JsonNode trace(Job job, int threads, Listener listener, Cancellation cancellation) throws IOException {
        Path suspect = Path.of(required(job, "suspect"));
        boolean faces = !"false".equals(job.request().get("faces"));
        Trace.Result r = new Trace(session, pipelines, actor(job), threads).run(new Trace.Request(suspect, job.folder().resolve(REPORT),
                null, faces, "job " + job.id() + ": trace", job.org()), listener, cancellation);
        TraceResult t = r.trace();
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("images", t.images().size());
        o.put("failed", t.failed());
        o.set("collections", Json.MAPPER.valueToTree(t.collections()));
        o.set("recipients", Json.MAPPER.valueToTree(t.recipients()));
        return o;
    }

    JsonNode collection(Job job, int threads, Listener listener, Cancellation cancellation) throws IOException {
        String name = required(job, "name");
        CollectionScan scan = new CollectionScan(FaceScanner.of(pipelines, threads), session, actor(job));
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("collection", name);
        if ("rescan".equals(job.request().get("mode"))) {
            CollectionScan.Result<CollectionChange> r = scan.rescan(name, null, listener, cancellation);
            o.put("added", r.stored().added());
            o.put("removed", r.stored().removed());
            o.put("changed", r.stored().changed());
            o.put("unchanged", r.stored().unchanged());
            o.put("failed", r.failed());
        } else {
            Path dataset = Path.of(required(job, "dataset"));
            CollectionScan.Result<CollectionInfo> r = scan.add(job.org(), name, job.request().get("owner"), dataset, null, listener, cancellation);
            o.put("owner", r.stored().owner());
            o.put("images", r.stored().images());
            o.put("faces", r.stored().faces());
            o.put("failed", r.failed());
        }
        return o;
    }

    JsonNode release(Job job, int threads, Listener listener, Cancellation cancellation) throws IOException {
        Path out = job.folder().resolve(RELEASE);
        Release.Result r = new Release(session, actor(job), threads).run(new Release.Request(required(job, "collection"),
                required(job, "recipient"), out), listener, cancellation);
        zip(out, job.folder().resolve(RELEASE_ZIP));
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("collection", r.collection());
        o.put("recipient", r.recipient());
        o.put("written", r.written());
        o.put("total", r.total());
        o.put("min_psnr", Double.isNaN(r.minPsnr()) ? null : r.minPsnr());
        o.put("key", r.keyId());
        return o;
    }

    /** The folder as a zip (paths relative to it, sorted), written beside and moved into place whole. */
    static void zip(Path folder, Path zip) throws IOException {
        Path tmp = zip.resolveSibling(zip.getFileName() + ".tmp");
        List<Path> files;
        try (Stream<Path> s = Files.walk(folder)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        try (OutputStream os = Files.newOutputStream(tmp); ZipOutputStream z = new ZipOutputStream(os)) {
            for (Path f : files) {
                z.putNextEntry(new ZipEntry(folder.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, z);
                z.closeEntry();
            }
        }
        Files.move(tmp, zip, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

}
