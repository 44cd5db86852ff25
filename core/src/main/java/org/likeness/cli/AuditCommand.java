package org.likeness.cli;

import org.likeness.json.Json;
import org.likeness.audit.AuditFiles;
import org.likeness.audit.AuditStatus;
import org.likeness.audit.AuditResult;
import org.likeness.audit.Auditor;
import org.likeness.audit.Finding;
import org.likeness.audit.ReportPage;
import org.likeness.audit.Thumbnailer;
import org.likeness.cluster.ChineseWhispers;
import org.likeness.face.FacePipeline;
import org.likeness.face.MatchThreshold;
import org.likeness.registry.InputTime;
import org.likeness.registry.MasterKey;
import org.likeness.registry.MatchPolicy;
import org.likeness.files.PrivateFiles;
import org.likeness.registry.Purpose;
import org.likeness.registry.Registry;
import org.likeness.registry.RegistryLocation;
import org.likeness.scan.DatasetReader;
import org.likeness.scan.OutputTree;
import org.likeness.scan.ScanHeader;
import org.likeness.scan.ScanRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code likeness audit DATASET --purpose P --report DIR}. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Which faces of a dataset may be used for a purpose at a time: scan, identify against the registry (fail closed), evaluate consent, cluster into identities, write findings.json, findings.csv and report.html. Exit 0 when every face is consented, 3 when any is not, 2 on errors.")
final class AuditCommand extends BaseCommand {
    @Parameters(index = "0", description = "Folder, .zip, .tar or .tar.gz.")
    Path dataset;
    @Option(names = "--purpose", converter = Choices.PurposeWord.class, completionCandidates = Choices.PurposeWord.class, required = true, description = "training, evaluation, publication or identification.")
    String purpose;
    @Option(names = "--at", description = "Time the consent is evaluated at (ISO date or instant; default now).")
    String at;
    @Mixin
    DbOption dbOption;
    @Option(names = "--report", required = true, description = "Folder for findings.json, findings.csv, report.html and the scan cache.")
    Path report;
    @Option(names = "--show-faces", description = "Sharp thumbnails in report.html (blurred by default).")
    boolean showFaces;
    @Mixin
    JsonOption jsonOption;
    @Mixin
    ThreadsOption threadsOption;
    @Mixin
    PipelineOptions pipelineOptions;

    private final Map<String, String> env;

    AuditCommand() {
        this(System.getenv());
    }

    /** @param env where $LIKENESS_HOME and LIKENESS_MASTER_KEY are looked up (tests pass their own) */
    AuditCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() throws IOException {
        if (!Files.exists(dataset)) {
            throw new UserException(dataset + ": no such folder or archive");
        }
        Purpose p = Purpose.parse(purpose);
        Instant when = at == null ? Instant.now() : InputTime.parse("--at", at);
        OutputTree.checkOutside(dataset, report, "the report");
        // the report holds faces (thumbnails) and the cache every face's embedding: owner-only
        PrivateFiles.createDirectories(report);
        List<ScanRecord> records = new ArrayList<>();
        ScanHeader header;
        try (FacePipeline pipeline = pipelineOptions.open(1)) {
            header = ScanCommand.scanThenRead(err(), pipeline, dataset.toString(), () -> DatasetReader.open(dataset), -1,
                    report.resolve("scan.jsonl.gz"), threadsOption.threads(), records::add);
        }
        if (Files.exists(report.resolve("scan.jsonl.gz"))) {
            PrivateFiles.restrict(report.resolve("scan.jsonl.gz"));
        }
        RegistryLocation loc = RegistryLocation.resolve(dbOption.db(), env);
        long faceCount = records.stream().mapToLong(r -> r.faces().size()).sum();
        float clusterThreshold = MatchThreshold.atFmr(header.embedder(), ChineseWhispers.edgeFmr((int) Math.min(Integer.MAX_VALUE, faceCount)));
        Map<String, String> models = new LinkedHashMap<>();
        models.put("detector", header.detector());
        models.put("landmarks", header.landmarks());
        models.put("embedder", header.embedder());
        AuditResult result;
        float threshold;
        try (MasterKey key = MasterKey.resolve(loc.defaultKeyFile(), env); Registry registry = Registry.open(loc, key, "audit")) {
            // the threshold depends on how many people a stranger could be mistaken for: known only once the registry is open
            // recorded first, so that an erasure reaches this cache of plain embeddings (docs/REGISTRY.md)
            registry.recordAuditCache(report.resolve("scan.jsonl.gz"));
            // a subject scores its best template, so a stranger gets one chance per template (docs/DECISIONS.md)
            threshold = MatchThreshold.forIdentification(header.embedder(),
                    Math.max(registry.subjects().size(), registry.templateCount(header.embedder())));
            registry.usePolicy(MatchPolicy.withProvisionalMargin(threshold));
            result = new Auditor(registry, header.embedder(), p, when).audit(dataset.toString(), records, models, threshold, clusterThreshold);
            Map<String, Object> logged = new LinkedHashMap<>();
            logged.put("dataset", dataset.toString());
            logged.put("purpose", p.word());
            logged.put("at", when.toString());
            logged.put("faces", result.faceCount());
            logged.put("consented", result.count(AuditStatus.CONSENTED));
            logged.put("failed", result.failedCount());
            logged.put("verdict", result.allConsented() ? "consented" : "not_consented");
            registry.record("audit.run", logged);
        }
        AuditFiles.writeJson(result, report.resolve("findings.json"));
        AuditFiles.writeCsv(result, report.resolve("findings.csv"));
        Set<Integer> wanted = ReportPage.thumbnailsShown(result);
        Map<Integer, String> thumbs;
        // a folder is read only where a thumbnail comes from; an archive has to be streamed
        List<String> needed = wanted.stream().map(i -> result.faces().get(i).path()).distinct().sorted().toList();
        try (DatasetReader reader = Files.isDirectory(dataset) && DatasetReader.shards(dataset) == null ? DatasetReader.ofFiles(dataset, needed) : DatasetReader.open(dataset)) {
            thumbs = Thumbnailer.make(reader, result.faces(), wanted, showFaces);
        }
        String command = "likeness audit " + dataset + " --purpose " + p.word() + " --at " + when + " --report " + report
                + (dbOption.db() != null ? " --db " + dbOption.db() : "");
        OutputTree.writeFile(report.resolve("report.html"),
                ReportPage.html(result, thumbs::get, showFaces, command).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        for (String written : new String[] {"findings.json", "findings.csv", "report.html"}) {
            PrivateFiles.restrict(report.resolve(written));
        }
        if (jsonOption.json()) {
            out().println(Json.PRETTY.writeValueAsString(AuditFiles.json(result)));
        }
        int bad = result.faces().size() - result.count(AuditStatus.CONSENTED);
        java.io.PrintWriter out = jsonOption.json() ? err() : out(); // with --json, stdout carries only the JSON
        // not assessable (the probe quality gate) is shown only when it happened, so earlier outputs read the same
        String notAssessable = result.count(AuditStatus.NOT_ASSESSABLE) == 0 ? ""
                : ", " + result.count(AuditStatus.NOT_ASSESSABLE) + " not assessable";
        out.printf("%s: %d images, %d faces, %d identities; %d consented, %d not (%d unknown%s); %d failed%n",
                result.allConsented() ? "CONSENTED" : "NOT CONSENTED", result.imageCount(), result.faceCount(),
                result.identityCount(), result.count(AuditStatus.CONSENTED), bad, result.count(AuditStatus.UNKNOWN), notAssessable,
                result.failedCount());
        out.println("report: " + report.resolve("report.html").toAbsolutePath());
        return result.allConsented() ? ExitCodes.OK : ExitCodes.NOT_CONSENTED;
    }
}
