package org.likeness.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.likeness.audit.AuditFiles;
import org.likeness.audit.AuditResult;
import org.likeness.audit.AuditStatus;
import org.likeness.audit.Auditor;
import org.likeness.audit.ReportPage;
import org.likeness.audit.Thumbnailer;
import org.likeness.cluster.ChineseWhispers;
import org.likeness.face.MatchThreshold;
import org.likeness.face.ProbeGate;
import org.likeness.files.PrivateFiles;
import org.likeness.registry.Purpose;
import org.likeness.registry.Registry;
import org.likeness.scan.DatasetReader;
import org.likeness.scan.OutputTree;
import org.likeness.scan.ScanHeader;
import org.likeness.scan.ScanRecord;

/**
 * The audit use case: which faces of a dataset may be used for a purpose at a time. Scans (into the report folder's
 * {@value #SCAN_FILE}, which a later audit into the same folder resumes), identifies every face against the registry
 * (fail closed), evaluates consent, clusters, logs {@code audit.run} and writes findings.json, findings.csv and
 * report.html, all owner-only.
 */
public final class Audit {
    /** The scan cache in the report folder: every face's embedding, so owner-only and recorded for erasure. */
    public static final String SCAN_FILE = "scan.jsonl.gz";
    public static final String FINDINGS_JSON = "findings.json";
    public static final String FINDINGS_CSV = "findings.csv";
    public static final String REPORT_HTML = "report.html";

    /**
     * @param label    how the dataset is named in the findings and the log (the path the user gave)
     * @param command  how the report page says the audit was run (the command line, or the HTTP request)
     * @param organisation the tenant that asked: faces are identified only as its own subjects (a face of another
     *                 tenant's subject is unknown, never named, and scores 0), or null for every subject (the CLI)
     */
    public record Request(Path dataset, String label, Purpose purpose, Instant at, Path report, boolean showFaces, String command,
                          String organisation) {
        public Request(Path dataset, String label, Purpose purpose, Instant at, Path report, boolean showFaces, String command) {
            this(dataset, label, purpose, at, report, showFaces, command, null);
        }
    }

    /** The findings, and where the report was written. */
    public record Result(AuditResult findings, Path report) {
        public boolean allConsented() {
            return findings.allConsented();
        }

        public Path reportHtml() {
            return report.resolve(REPORT_HTML);
        }
    }

    private final FaceScanner scanner;
    private final RegistrySession registry;
    private final int threads;

    public Audit(FaceScanner scanner, RegistrySession registry, int threads) {
        this.scanner = scanner;
        this.registry = registry;
        this.threads = threads;
    }

    public Result run(Request request, Listener listener, Cancellation cancellation) throws IOException {
        Path dataset = request.dataset();
        Path report = request.report();
        if (!Files.exists(dataset)) {
            throw new RequestException(dataset + ": no such folder or archive");
        }
        OutputTree.checkOutside(dataset, report, "the report");
        // the report holds faces (thumbnails) and the cache every face's embedding: owner-only
        PrivateFiles.createDirectories(report);
        Path scanFile = report.resolve(SCAN_FILE);
        List<ScanRecord> records = new ArrayList<>();
        ScanHeader header = scanner.scan(request.label(), () -> DatasetReader.open(dataset), scanFile, null, records::add, listener, cancellation);
        if (Files.exists(scanFile)) {
            PrivateFiles.restrict(scanFile);
        }
        cancellation.check();
        long faceCount = records.stream().mapToLong(r -> r.faces().size()).sum();
        float clusterThreshold = MatchThreshold.atFmr(header.embedder(), ChineseWhispers.edgeFmr((int) Math.min(Integer.MAX_VALUE, faceCount)));
        Map<String, String> models = new LinkedHashMap<>();
        models.put("detector", header.detector());
        models.put("landmarks", header.landmarks());
        models.put("embedder", header.embedder());
        AuditResult result;
        try (RegistryAccess access = registry.identifying("audit", header.embedder())) {
            Registry r = access.registry;
            // recorded first, so that an erasure reaches this cache of plain embeddings (docs/REGISTRY.md)
            r.recordAuditCache(scanFile);
            Auditor.Registrar registrar = Auditor.Registrar.of(r);
            if (request.organisation() != null) {
                registrar = ownSubjectsOnly(registrar, r, request.organisation());
            }
            result = new Auditor(registrar, header.embedder(), request.purpose(), request.at(), ProbeGate.DEFAULT, threads)
                    .audit(request.label(), records, models, access.threshold, clusterThreshold);
            Map<String, Object> logged = new LinkedHashMap<>();
            logged.put("dataset", request.label());
            logged.put("purpose", request.purpose().word());
            logged.put("at", request.at().toString());
            logged.put("faces", result.faceCount());
            logged.put("consented", result.count(AuditStatus.CONSENTED));
            logged.put("failed", result.failedCount());
            logged.put("verdict", result.allConsented() ? "consented" : "not_consented");
            r.record("audit.run", logged);
        }
        records.clear();
        AuditFiles.writeJson(result, report.resolve(FINDINGS_JSON));
        AuditFiles.writeCsv(result, report.resolve(FINDINGS_CSV));
        Set<Integer> wanted = ReportPage.thumbnailsShown(result);
        Map<Integer, String> thumbs;
        // a folder is read only where a thumbnail comes from; an archive has to be streamed
        List<String> needed = wanted.stream().map(i -> result.faces().get(i).path()).distinct().sorted().toList();
        try (DatasetReader reader = Files.isDirectory(dataset) && DatasetReader.shards(dataset) == null ? DatasetReader.ofFiles(dataset, needed) : DatasetReader.open(dataset)) {
            thumbs = Thumbnailer.make(reader, result.faces(), wanted, request.showFaces(), threads);
        }
        OutputTree.writeFile(report.resolve(REPORT_HTML),
                ReportPage.html(result, thumbs::get, request.showFaces(), request.command()).getBytes(StandardCharsets.UTF_8));
        for (String written : new String[] {FINDINGS_JSON, FINDINGS_CSV, REPORT_HTML}) {
            PrivateFiles.restrict(report.resolve(written));
        }
        return new Result(result, report);
    }

    /** Identification limited to one tenant's subjects: a match with anyone else's is reported as no match at all. */
    static Auditor.Registrar ownSubjectsOnly(Auditor.Registrar all, Registry r, String organisation) {
        java.util.Map<String, Boolean> own = new java.util.concurrent.ConcurrentHashMap<>();
        return new Auditor.Registrar() {
            @Override
            public org.likeness.registry.Identification identify(float[] vector, String modelId) {
                org.likeness.registry.Identification id = all.identify(vector, modelId);
                if (id.subject().isPresent() && !own.computeIfAbsent(id.subject().get(), s -> organisation.equals(r.subjectOrganisation(s)))) {
                    return new org.likeness.registry.Identification(org.likeness.registry.Identification.Outcome.BELOW_THRESHOLD, null, 0,
                            null, Double.NaN);
                }
                return id;
            }

            @Override
            public Map<String, org.likeness.registry.ConsentStatus> statuses(java.util.Collection<String> subjectIds, Purpose purpose,
                                                                             Instant at) {
                return all.statuses(subjectIds, purpose, at);
            }

            @Override
            public org.likeness.registry.ConsentStatus status(String subjectId, Purpose purpose, Instant at) {
                return all.status(subjectId, purpose, at);
            }

            @Override
            public String logHead() {
                return all.logHead();
            }
        };
    }
}
