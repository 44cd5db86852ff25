package org.likeness.cli.registry;

import org.likeness.cli.ThreadsOption;
import org.likeness.cli.LikenessException;
import org.likeness.cli.ExitCodes;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.likeness.app.ImportManifest;
import org.likeness.app.ImportReport;
import org.likeness.app.SubjectImport;
import org.likeness.model.Sha256;
import org.likeness.registry.FaceSource;
import org.likeness.registry.Registry;
import org.likeness.scan.Progress;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code likeness subject import MANIFEST}: the CLI adapter of {@link SubjectImport}. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Enrol many subjects (with their consents) from a CSV or JSON Lines manifest in one process.",
                "Each row is all or nothing; every refused row is listed with its line and reason (docs/FORMATS.md).",
                "Exit 0 when every row was imported, 1 when some were refused, 2 when the manifest cannot be read."})
final class SubjectImportCommand extends RegistryAction {
    @ParentCommand
    SubjectCommand parent;

    @Parameters(paramLabel = "MANIFEST", description = "CSV (header: id,name,photos,face,purposes,from,until,basis,"
            + "evidence) or JSON Lines; paths relative to the manifest's folder.")
    Path manifest;

    @Mixin
    ThreadsOption threadsOption;

    @Override
    Map<String, String> env() {
        return parent.env();
    }

    @Override
    int run(Registry registry, PrintWriter out) throws IOException {
        if (!Files.isRegularFile(manifest)) {
            throw new LikenessException(ExitCodes.ERROR, manifest, "not a readable file");
        }
        String sha = Sha256.of(manifest);
        ImportManifest.Parsed parsed = ImportManifest.read(manifest);
        PrintWriter err = spec.commandLine().getErr();
        Progress progress = new Progress(err, "import", parsed.rows().size(), !options.json());
        ImportReport report;
        try (FaceSource faces = parent.faces().open()) {
            report = new SubjectImport(faces, SubjectImport.Store.of(registry), threadsOption.threads())
                    .run(parsed.rows(), parsed.refused(), sha, (row, refusal) -> progress.step());
        }
        progress.finish();
        for (ImportReport.Refusal r : report.refused()) {
            err.println("likeness: " + manifest + ":" + r.line() + ": " + (r.id() == null ? "" : Printable.of(r.id()) + ": ")
                    + Printable.of(r.reason()));
        }
        err.flush();
        StringBuilder text = new StringBuilder();
        text.append(String.format("imported %d of %d subject(s) with %d consent(s); %d refused", report.imported(),
                report.rows(), report.consents(), report.refused().size()));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("manifest", manifest.toString());
        json.put("manifest_sha256", sha);
        json.put("rows", report.rows());
        json.put("imported", report.imported());
        json.put("consents", report.consents());
        json.put("refused", report.refused().stream().map(r -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("line", r.line());
            m.put("id", r.id());
            m.put("reason", r.reason());
            return m;
        }).toList());
        print(json, text.toString());
        return report.refused().isEmpty() ? ExitCodes.OK : ExitCodes.SOME_FAILED;
    }

    /** Ids and reasons come from a file someone else wrote: control characters are shown escaped, never raw. */
    static final class Printable {
        private Printable() {
        }

        static String of(String s) {
            StringBuilder b = new StringBuilder(s.length());
            s.codePoints().forEach(cp -> {
                if (Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT) {
                    b.append(String.format("\\u%04x", cp));
                } else {
                    b.appendCodePoint(cp);
                }
            });
            return b.toString();
        }
    }
}
