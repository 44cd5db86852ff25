package org.likeness.cli;

import org.likeness.app.Redact;
import org.likeness.app.RegistrySession;
import org.likeness.audit.Auditor;
import org.likeness.redact.Manifest;
import org.likeness.redact.ManifestEntry;
import org.likeness.redact.RedactMode;
import org.likeness.redact.RedactionPlan;
import org.likeness.redact.Redactor;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.likeness.registry.Purpose;

/** {@code likeness redact DATASET --findings findings.json -o OUT}. */
@Command(name = "redact", mixinStandardHelpOptions = true,
        description = "Write a cleaned copy of a dataset: every face an audit did not find consented is irreversibly anonymised"
                + " (or its image dropped); everything else is byte-identical; OUT/manifest.json lists every file."
                + " The input is never modified. Exit 0 when every file is in the copy or deliberately dropped, 1 when some were withheld"
                + " (unreadable, not audited, or changed since the audit), 2 on errors.")
final class RedactCommand extends BaseCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "DATASET", description = "The audited folder, .zip, .tar or .tar.gz"
            + " (not with --collection: the registered location is used).")
    Path dataset;
    @Option(names = "--findings", paramLabel = "FILE", description = "findings.json written by `likeness audit`.")
    Path findings;
    @Option(names = "--collection", paramLabel = "NAME", description = "Instead of DATASET and --findings: a registered collection, judged by"
            + " each identified subject's consent for --purpose now (unidentified faces are never consented).")
    String collection;
    @Option(names = "--purpose", converter = Choices.PurposeWord.class, completionCandidates = Choices.PurposeWord.class, paramLabel = "P", description = "With --collection: training, evaluation, publication or identification.")
    String purpose;
    @Mixin
    DbOption dbOption;
    @Option(names = {"-o", "--output", "--out"}, required = true, paramLabel = "OUT", description = "Folder for the copy and manifest.json; must be new or empty.")
    Path out;
    @Option(names = "--mode", paramLabel = "MODE", converter = Choices.ModeWord.class, completionCandidates = Choices.ModeWord.class, defaultValue = "blur", description = "blur, pixelate, mask or drop (default: ${DEFAULT-VALUE}).")
    String mode;
    @Option(names = "--keep", paramLabel = "STATUS[,STATUS]", defaultValue = "consented",
            description = "Face statuses left untouched (default: ${DEFAULT-VALUE}). Every other face is anonymised.")
    String keep;
    @Option(names = "--resume", description = "Finish an interrupted redaction into the same OUT.")
    boolean resume;
    @Option(names = "--no-progress", description = "No progress line on stderr.")
    boolean noProgress;

    private final Map<String, String> env;

    RedactCommand() {
        this(System.getenv());
    }

    RedactCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() throws IOException {
        if (collection != null) {
            if (dataset != null || findings != null || purpose == null) {
                throw new UserException("--collection takes --purpose and neither DATASET nor --findings (its registered location is used)");
            }
        } else if (dataset == null || findings == null) {
            throw new UserException("give DATASET and --findings findings.json, or --collection NAME --purpose P");
        } else if (!Files.isRegularFile(findings)) {
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
            err().println("warning: --keep " + keep + " leaves faces without valid consent in the copy");
        }
        Redact redact = new Redact(new RegistrySession(dbOption.db(), env), System.getProperty("user.name", "unknown"));
        CliListener listener = new CliListener(err(), !noProgress);
        Manifest manifest = collection != null
                ? redact.collection(collection, Purpose.parse(purpose), kept, m, out, resume, listener)
                : redact.fromFindings(dataset, findings, kept, m, out, resume, listener);
        return report(manifest, out);
    }

    /** Prints the summary (the use case reported each withheld file); the exit code says whether anything was withheld. */
    int report(Manifest manifest, Path out) {
        long withheld = manifest.count(ManifestEntry.WITHHELD);
        out().printf("%d files: %d copied unchanged, %d redacted (%d faces, %s), %d dropped, %d withheld%n",
                manifest.images().size(), manifest.count(ManifestEntry.COPIED), manifest.count(ManifestEntry.REDACTED),
                manifest.facesChanged(), manifest.mode(), manifest.count(ManifestEntry.DROPPED), withheld);
        out().println("copy: " + out.toAbsolutePath() + "  manifest: " + out.resolve(Manifest.FILE_NAME).toAbsolutePath());
        return withheld == 0 ? ExitCodes.OK : ExitCodes.SOME_FAILED;
    }
}
