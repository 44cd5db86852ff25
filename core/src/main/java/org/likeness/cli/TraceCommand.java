package org.likeness.cli;

import org.likeness.json.Json;
import org.likeness.face.FacePipeline;
import org.likeness.fingerprint.FingerprintKey;
import org.likeness.registry.CollectionInfo;
import org.likeness.registry.Registry;
import org.likeness.registry.Release;
import org.likeness.registry.ReleaseKey;
import org.likeness.scan.DatasetReader;
import org.likeness.scan.OutputTree;
import org.likeness.scan.Progress;
import org.likeness.trace.RegisteredImages;
import org.likeness.trace.TraceReport;
import org.likeness.trace.TraceResult;
import org.likeness.trace.Tracer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code likeness trace SUSPECT}. */
@Command(name = "trace", mixinStandardHelpOptions = true,
        description = "Where did a suspect dataset come from, and who leaked it: for every photo, the registered collection photo it copies"
                + " (PDQ, also rotated or mirrored; for photos altered beyond PDQ, face identity confirmed by aligning with the original) and the recipient whose"
                + " fingerprint it carries (named only beyond a false-accusation bound of 1e-6 per photo). Exit 3 when some photos are"
                + " copies of a registered collection; otherwise 1 when some inputs could not be traced (unreadable photos, bad scan lines,"
                + " or nothing to trace at all), 0 when every photo was traced and none matches; 2 on errors.")
final class TraceCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "SUSPECT", description = "Folder, .zip, .tar or .tar.gz of suspect photos, or a scan of them"
            + " (.jsonl / .jsonl.gz from `likeness scan`: PDQ and faces only, no recipient can be named without the pixels).")
    Path suspect;
    @Mixin
    JsonOption jsonOption;
    @Option(names = "--report", paramLabel = "DIR", description = "Write trace.json and report.html here.")
    Path report;
    @Mixin
    DbOption dbOption;
    @Option(names = "--evidence", paramLabel = "DIR", description = "When someone is accused, write statement.json (signed with the holder's Ed25519 key,"
            + " created in the registry's key folder on first use) and evidence.txt here; `likeness verify` checks the statement.")
    Path evidence;
    @Option(names = "--no-faces", description = "Match by PDQ only (no face fallback for photos altered beyond PDQ).")
    boolean noFaces;
    @Mixin
    ThreadsOption threadsOption;
    @Option(names = "--no-progress", description = "No progress line on stderr.")
    boolean noProgress;
    @Mixin
    PipelineOptions pipelineOptions;

    private final Map<String, String> env;

    TraceCommand() {
        this(System.getenv());
    }

    TraceCommand(Map<String, String> env) {
        this.env = env;
    }

    static boolean isScan(Path p) {
        String n = p.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        return java.nio.file.Files.isRegularFile(p) && (n.endsWith(".jsonl") || n.endsWith(".jsonl.gz"));
    }

    @Override
    public Integer call() throws IOException {
        if (!Files.exists(suspect)) {
            throw new UserException(suspect + ": no such folder or archive");
        }
        // the output folders are checked before the trace runs, not after: a wrong path costs nothing
        checkOutputFolder(report, "--report", "the report");
        checkOutputFolder(evidence, "--evidence", "the evidence");
        TraceResult result;
        int badLines = 0;
        long started = System.nanoTime();
        try (RegistryAccess access = RegistryAccess.open(dbOption.db(), env, System.getProperty("user.name", "unknown"))) {
            Registry r = access.registry;
            RegisteredImages registered = RegisteredImages.load(r);
            if (registered.size() == 0) {
                throw new UserException("no collection is registered: nothing to trace against (see `likeness collection add`)");
            }
            Map<String, List<Release>> releases = new HashMap<>();
            r.releases(null).forEach(x -> releases.computeIfAbsent(x.collection(), k -> new ArrayList<>()).add(x));
            Map<String, Path> locations = new HashMap<>();
            for (CollectionInfo c : registered.collections()) {
                locations.put(c.name(), Path.of(c.location()));
            }
            Map<String, FingerprintKey> keys = new java.util.concurrent.ConcurrentHashMap<>();
            try (FacePipeline pipeline = noFaces ? null : pipelineOptions.open(1)) {
                Tracer tracer = new Tracer(registered, releases, id -> keys.computeIfAbsent(id, k -> {
                    ReleaseKey rk = r.releaseKey(k);
                    return new FingerprintKey(rk.id(), rk.secret());
                }), locations::get, pipeline, threadsOption.threads());
                long t0 = System.nanoTime();
                if (isScan(suspect)) {
                    List<org.likeness.scan.ScanRecord> records = new ArrayList<>();
                    int[] bad = {0};
                    org.likeness.scan.ScanFile.Problems print = ScanCommand.problems(err(), suspect);
                    org.likeness.scan.ScanFile.read(suspect, records::add, (line, reason) -> {
                        bad[0]++;
                        print.bad(line, reason);
                    });
                    badLines = bad[0];
                    result = tracer.traceScan(suspect.toString(), records);
                } else {
                    result = tracer.trace(suspect.toString(), () -> DatasetReader.open(suspect), new Progress(err(), "trace", -1, !noProgress));
                }
                err().printf(java.util.Locale.ROOT, "trace: %d registered images loaded in %.1f s; %s%n", registered.size(),
                        (t0 - started) / 1e9, tracer.timings());
            } finally {
                registered.clearFaces();
            }
            if (evidence != null) {
                writeEvidence(result, r);
            }
            Map<String, Object> logged = new LinkedHashMap<>();
            logged.put("suspect", suspect.toString());
            logged.put("images", result.images().size());
            logged.put("collections", result.collections());
            logged.put("recipients", result.recipients());
            r.record("trace.run", logged);
        }
        result.images().stream().filter(org.likeness.trace.TracedImage::failed)
                .forEach(i -> err().println("likeness: " + i.path() + ": " + i.note()));
        com.fasterxml.jackson.databind.ObjectWriter mapper = Json.PRETTY;
        if (report != null) {
            OutputTree.makeFolders(report, report);
            OutputTree.writeFile(report.resolve("trace.json"), mapper.writeValueAsBytes(result.json()));
            String command = "likeness trace " + suspect + " --report " + report + (dbOption.db() != null ? " --db " + dbOption.db() : "") + (noFaces ? " --no-faces" : "");
            OutputTree.writeFile(report.resolve("report.html"), TraceReport.html(result, command).getBytes(StandardCharsets.UTF_8));
        }
        if (jsonOption.json()) {
            out().println(mapper.writeValueAsString(result.json()));
        } else {
            out().println(result.text());
        }
        if (report != null) {
            (jsonOption.json() ? err() : out()).println("report: " + report.resolve("report.html").toAbsolutePath());
        }
        if (result.images().isEmpty()) {
            err().println("likeness: " + suspect + ": " + (badLines > 0 ? "no valid record in the scan" : "no files to trace")
                    + ": nothing was checked");
        }
        return exitCode(result, badLines);
    }

    private void checkOutputFolder(Path dir, String option, String what) throws IOException {
        if (dir == null) {
            return;
        }
        if (Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(dir)) {
            throw new UserException(dir + ": exists and is not a folder (" + option + " names a folder to write into)");
        }
        OutputTree.checkOutside(suspect, dir, what);
    }

    /**
     * Copies found is the gate's answer whatever else happened (3); otherwise a trace that could not check every input —
     * unreadable photos, skipped scan lines, or nothing at all — must not look clean (1); 0 only when every photo was traced.
     */
    static int exitCode(TraceResult result, int badScanLines) {
        if (!result.collections().isEmpty()) {
            return ExitCodes.FOUND;
        }
        return result.failed() > 0 || badScanLines > 0 || result.images().isEmpty() ? ExitCodes.SOME_FAILED : ExitCodes.OK;
    }

    /** The signed statement and its readable summary (nothing is written when nobody is accused). */
    private void writeEvidence(TraceResult result, Registry r) throws IOException {
        org.likeness.evidence.HolderKey key = org.likeness.evidence.HolderKey.loadOrCreate(r.location().home().resolve("registry"));
        com.fasterxml.jackson.databind.node.ObjectNode st = org.likeness.evidence.EvidenceStatement.sign(result, r, key, java.time.Instant.now());
        if (st == null) {
            err().println("evidence: nobody accused, no statement written");
            return;
        }
        OutputTree.makeFolders(evidence, evidence);
        Path file = evidence.resolve("statement.json");
        byte[] statementBytes = Json.PRETTY.writeValueAsBytes(st);
        OutputTree.writeFile(file, statementBytes);
        StringBuilder txt = new StringBuilder("Evidence statement " + file.getFileName() + " (" + org.likeness.evidence.EvidenceStatement.FORMAT
                + "), signed with the holder's Ed25519 key " + st.get("signature").get("key_id").asText() + "\n");
        for (com.fasterxml.jackson.databind.JsonNode a : st.get("statement").get("accused")) {
            txt.append(String.format(java.util.Locale.ROOT, "accused %s: %d photo(s) carry its mark (copies of %d distinct registered photo(s)),"
                            + " dataset statistic %.1f over %d photo(s), false-accusation bound 10^%.1f%n",
                    a.get("recipient").asText(), a.get("photos_carrying_mark").asInt(), a.get("originals_carrying_mark").asInt(),
                    a.get("dataset_statistic").asDouble(),
                    a.get("photos_tested").asInt(), a.get("false_accusation_bound_log10").asDouble()));
            for (com.fasterxml.jackson.databind.JsonNode rel : a.get("releases")) {
                txt.append("  released ").append(rel.get("collection").asText()).append(" at ").append(rel.get("released_at").asText())
                        .append(", key ").append(rel.get("key_id").asText()).append(", log entry ").append(rel.path("log_entry").path("seq").asText("?")).append('\n');
            }
        }
        txt.append("registry log head: entry ").append(st.get("statement").get("registry_log").get("entries").asText()).append(", ")
                .append(st.get("statement").get("registry_log").get("head").asText()).append('\n');
        OutputTree.writeFile(evidence.resolve("evidence.txt"), txt.toString().getBytes(StandardCharsets.UTF_8));
        Map<String, Object> logged = new LinkedHashMap<>();
        logged.put("statement_sha256", org.likeness.model.Sha256.of(statementBytes));
        logged.put("holder_key", st.get("signature").get("key_id").asText());
        r.record("trace.evidence", logged);
        err().println("evidence: " + file.toAbsolutePath() + " (check with: likeness verify " + file + ")");
    }
}
