package org.likeness.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.likeness.evidence.EvidenceStatement;
import org.likeness.evidence.HolderKey;
import org.likeness.face.FacePipeline;
import org.likeness.fingerprint.FingerprintKey;
import org.likeness.json.Json;
import org.likeness.model.Sha256;
import org.likeness.registry.CollectionInfo;
import org.likeness.registry.Registry;
import org.likeness.registry.Release;
import org.likeness.registry.ReleaseKey;
import org.likeness.scan.DatasetReader;
import org.likeness.scan.OutputTree;
import org.likeness.scan.ScanFile;
import org.likeness.scan.ScanRecord;
import org.likeness.trace.RegisteredImages;
import org.likeness.trace.TraceReport;
import org.likeness.trace.TraceResult;
import org.likeness.trace.TracedImage;
import org.likeness.trace.Tracer;

/**
 * The trace use case: where a suspect dataset (or a scan of it) came from, and who leaked it. Matches every photo to
 * the registered collections, tests the recipients' fingerprints, logs {@code trace.run}, and writes trace.json and
 * report.html (with {@code report}) and a signed statement (with {@code evidence}, when someone is accused).
 */
public final class Trace {
    public static final String TRACE_JSON = "trace.json";
    public static final String REPORT_HTML = "report.html";
    public static final String STATEMENT = "statement.json";

    /**
     * @param report   folder for trace.json and report.html, or null
     * @param evidence folder for statement.json and evidence.txt, or null
     * @param faces    whether photos altered beyond PDQ are matched by face too
     * @param command  how the report page says the trace was run
     * @param organisation the tenant that asked: only its collections are traced against (null: every collection, the CLI)
     */
    public record Request(Path suspect, Path report, Path evidence, boolean faces, String command, String organisation) {
        public Request(Path suspect, Path report, Path evidence, boolean faces, String command) {
            this(suspect, report, evidence, faces, command, null);
        }
    }

    /** @param badScanLines lines of a suspect scan file that were skipped; @param statement the signed statement, or null */
    public record Result(TraceResult trace, int badScanLines, Path statement) {
    }

    private final RegistrySession session;
    private final Supplier<FacePipeline> pipelines;
    private final String actor;
    private final int threads;

    /** @param pipelines opens the face pipeline (only when the request wants faces) */
    public Trace(RegistrySession session, Supplier<FacePipeline> pipelines, String actor, int threads) {
        this.session = session;
        this.pipelines = pipelines;
        this.actor = actor;
        this.threads = threads;
    }

    /** Whether {@code p} is a scan file (.jsonl or .jsonl.gz from `likeness scan`) rather than photos. */
    public static boolean isScan(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(p) && (n.endsWith(".jsonl") || n.endsWith(".jsonl.gz"));
    }

    public Result run(Request request, Listener listener, Cancellation cancellation) throws IOException {
        Path suspect = request.suspect();
        if (!Files.exists(suspect)) {
            throw new RequestException(suspect + ": no such folder or archive");
        }
        // the output folders are checked before the trace runs, not after: a wrong path costs nothing
        checkOutputFolder(suspect, request.report(), "--report", "the report");
        checkOutputFolder(suspect, request.evidence(), "--evidence", "the evidence");
        TraceResult result;
        int badLines = 0;
        Path statement = null;
        long started = System.nanoTime();
        try (RegistryAccess access = session.open(actor)) {
            Registry r = access.registry;
            RegisteredImages registered = RegisteredImages.load(r, request.organisation());
            if (registered.size() == 0) {
                throw new RequestException("no collection is registered: nothing to trace against (see `likeness collection add`)");
            }
            Map<String, List<Release>> releases = new HashMap<>();
            r.releases(null).forEach(x -> releases.computeIfAbsent(x.collection(), k -> new ArrayList<>()).add(x));
            Map<String, Path> locations = new HashMap<>();
            for (CollectionInfo c : registered.collections()) {
                locations.put(c.name(), Path.of(c.location()));
            }
            Map<String, FingerprintKey> keys = new ConcurrentHashMap<>();
            try (FacePipeline pipeline = request.faces() ? pipelines.get() : null) {
                Tracer tracer = new Tracer(registered, releases, id -> keys.computeIfAbsent(id, k -> {
                    ReleaseKey rk = r.releaseKey(k);
                    return new FingerprintKey(rk.id(), rk.secret());
                }), locations::get, pipeline, threads);
                long t0 = System.nanoTime();
                if (isScan(suspect)) {
                    List<ScanRecord> records = new ArrayList<>();
                    int[] bad = {0};
                    ScanFile.Problems print = Scan.problems(listener, suspect);
                    ScanFile.read(suspect, records::add, (line, reason) -> {
                        bad[0]++;
                        print.bad(line, reason);
                    });
                    badLines = bad[0];
                    result = tracer.traceScan(suspect.toString(), records);
                } else {
                    result = tracer.trace(suspect.toString(), () -> cancellation.guard(DatasetReader.open(suspect)),
                            listener.progress("trace", -1));
                }
                listener.note(String.format(Locale.ROOT, "trace: %d registered images loaded in %.1f s; %s", registered.size(),
                        (t0 - started) / 1e9, tracer.timings()));
            } finally {
                registered.clearFaces();
            }
            if (request.evidence() != null) {
                statement = writeEvidence(result, r, request.evidence(), listener);
            }
            Map<String, Object> logged = new LinkedHashMap<>();
            logged.put("suspect", suspect.toString());
            logged.put("images", result.images().size());
            logged.put("collections", result.collections());
            logged.put("recipients", result.recipients());
            r.record("trace.run", logged);
        }
        result.images().stream().filter(TracedImage::failed).forEach(i -> listener.problem(i.path(), i.note()));
        Path report = request.report();
        if (report != null) {
            OutputTree.makeFolders(report, report);
            OutputTree.writeFile(report.resolve(TRACE_JSON), Json.PRETTY.writeValueAsBytes(result.json()));
            OutputTree.writeFile(report.resolve(REPORT_HTML), TraceReport.html(result, request.command()).getBytes(StandardCharsets.UTF_8));
        }
        return new Result(result, badLines, statement);
    }

    private static void checkOutputFolder(Path suspect, Path dir, String option, String what) throws IOException {
        if (dir == null) {
            return;
        }
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(dir)) {
            throw new RequestException(dir + ": exists and is not a folder (" + option + " names a folder to write into)");
        }
        OutputTree.checkOutside(suspect, dir, what);
    }

    /** The signed statement and its readable summary (nothing is written when nobody is accused); returns the statement or null. */
    private static Path writeEvidence(TraceResult result, Registry r, Path evidence, Listener listener) throws IOException {
        HolderKey key = HolderKey.loadOrCreate(r.location().home().resolve("registry"));
        ObjectNode st = EvidenceStatement.sign(result, r, key, Instant.now());
        if (st == null) {
            listener.note("evidence: nobody accused, no statement written");
            return null;
        }
        OutputTree.makeFolders(evidence, evidence);
        Path file = evidence.resolve(STATEMENT);
        byte[] statementBytes = Json.PRETTY.writeValueAsBytes(st);
        OutputTree.writeFile(file, statementBytes);
        StringBuilder txt = new StringBuilder("Evidence statement " + file.getFileName() + " (" + EvidenceStatement.FORMAT
                + "), signed with the holder's Ed25519 key " + st.get("signature").get("key_id").asText() + "\n");
        for (JsonNode a : st.get("statement").get("accused")) {
            txt.append(String.format(Locale.ROOT, "accused %s: %d photo(s) carry its mark (copies of %d distinct registered photo(s)),"
                            + " dataset statistic %.1f over %d photo(s), false-accusation bound 10^%.1f%n",
                    a.get("recipient").asText(), a.get("photos_carrying_mark").asInt(), a.get("originals_carrying_mark").asInt(),
                    a.get("dataset_statistic").asDouble(),
                    a.get("photos_tested").asInt(), a.get("false_accusation_bound_log10").asDouble()));
            for (JsonNode rel : a.get("releases")) {
                txt.append("  released ").append(rel.get("collection").asText()).append(" at ").append(rel.get("released_at").asText())
                        .append(", key ").append(rel.get("key_id").asText()).append(", log entry ").append(rel.path("log_entry").path("seq").asText("?")).append('\n');
            }
        }
        txt.append("registry log head: entry ").append(st.get("statement").get("registry_log").get("entries").asText()).append(", ")
                .append(st.get("statement").get("registry_log").get("head").asText()).append('\n');
        OutputTree.writeFile(evidence.resolve("evidence.txt"), txt.toString().getBytes(StandardCharsets.UTF_8));
        Map<String, Object> logged = new LinkedHashMap<>();
        logged.put("statement_sha256", Sha256.of(statementBytes));
        logged.put("holder_key", st.get("signature").get("key_id").asText());
        r.record("trace.evidence", logged);
        listener.note("evidence: " + file.toAbsolutePath() + " (check with: likeness verify " + file + ")");
        return file;
    }
}
