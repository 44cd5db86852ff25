package org.likeness.cli;

import org.likeness.app.Audit;
import org.likeness.app.Cancellation;
import org.likeness.app.RegistrySession;
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
        Purpose p = Purpose.parse(purpose);
        Instant when = at == null ? Instant.now() : InputTime.parse("--at", at);
        String command = "likeness audit " + dataset + " --purpose " + p.word() + " --at " + when + " --report " + report
                + (dbOption.db() != null ? " --db " + dbOption.db() : "");
        Audit.Result run = new Audit(org.likeness.app.FaceScanner.of(() -> pipelineOptions.open(1), threadsOption.threads()),
                new RegistrySession(dbOption.db(), env), threadsOption.threads())
                .run(new Audit.Request(dataset, dataset.toString(), p, when, report, showFaces, command),
                        new CliListener(err(), true), Cancellation.none());
        AuditResult result = run.findings();
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
