package org.likeness.cli;

import org.likeness.audit.Auditor;
import org.likeness.redact.Manifest;
import org.likeness.redact.ManifestEntry;
import org.likeness.redact.RedactMode;
import org.likeness.redact.RedactionPlan;
import org.likeness.redact.Redactor;
import org.likeness.scan.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code likeness redact DATASET --findings findings.json -o OUT}. */
@Command(name = "redact", mixinStandardHelpOptions = true,
        description = "Write a cleaned copy of a dataset: every face an audit did not find consented is irreversibly anonymised"
                + " (or its image dropped); everything else is byte-identical; OUT/manifest.json lists every file."
                + " The input is never modified. Exit 0 when every file is in the copy or deliberately dropped, 1 when some were withheld"
                + " (unreadable, not audited, or changed since the audit), 2 on errors.")
final class RedactCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DATASET", description = "The audited folder, .zip, .tar or .tar.gz.")
    Path dataset;
    @Option(names = "--findings", required = true, paramLabel = "FILE", description = "findings.json written by `likeness audit`.")
    Path findings;
    @Option(names = {"-o", "--out"}, required = true, paramLabel = "OUT", description = "Folder for the copy and manifest.json; must be new or empty.")
    Path out;
    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "blur", description = "blur, pixelate, mask or drop (default: ${DEFAULT-VALUE}).")
    String mode;
    @Option(names = "--keep", paramLabel = "STATUS[,STATUS]", defaultValue = "consented",
            description = "Face statuses left untouched (default: ${DEFAULT-VALUE}). Every other face is anonymised.")
    String keep;
    @Option(names = "--resume", description = "Finish an interrupted redaction into the same OUT.")
    boolean resume;
    @Option(names = "--no-progress", description = "No progress line on stderr.")
    boolean noProgress;

    @Override
    public Integer call() throws IOException {
        if (!Files.exists(dataset)) {
            throw new UserException(dataset + ": no such folder or archive");
        }
        if (!Files.isRegularFile(findings)) {
            throw new UserException(findings + ": no such findings file (write one with `likeness audit DATASET --report DIR`)");
        }
        RedactMode m;
        Set<String> kept;
        try {
            m = RedactMode.parse(mode);
            kept = RedactionPlan.parseKeep(keep, Auditor.STATUSES);
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage());
        }
        if (!kept.equals(Set.of("consented"))) {
            System.err.println("warning: --keep " + keep + " leaves faces without valid consent in the copy");
        }
        RedactionPlan plan = RedactionPlan.fromFindings(findings, kept);
        Manifest manifest = new Redactor(plan, m).run(dataset, out, resume,
                new Progress(System.err, "redact", -1, !noProgress));
        return report(manifest, out);
    }

    /** Prints one line per withheld file and the summary; the exit code says whether anything was withheld. */
    static int report(Manifest manifest, Path out) {
        for (ManifestEntry e : manifest.images()) {
            if (ManifestEntry.WITHHELD.equals(e.action())) {
                System.err.println("withheld " + e.path() + ": " + e.reason());
            }
        }
        long withheld = manifest.count(ManifestEntry.WITHHELD);
        System.out.printf("%d files: %d copied unchanged, %d redacted (%d faces, %s), %d dropped, %d withheld%n",
                manifest.images().size(), manifest.count(ManifestEntry.COPIED), manifest.count(ManifestEntry.REDACTED),
                manifest.facesChanged(), manifest.mode(), manifest.count(ManifestEntry.DROPPED), withheld);
        System.out.println("copy: " + out.toAbsolutePath() + "  manifest: " + out.resolve(Manifest.FILE_NAME).toAbsolutePath());
        return withheld == 0 ? ExitCodes.OK : ExitCodes.SOME_FAILED;
    }
}
