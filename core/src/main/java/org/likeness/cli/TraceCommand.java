package org.likeness.cli;

import org.likeness.app.Cancellation;
import org.likeness.app.RegistrySession;
import org.likeness.app.Trace;
import org.likeness.json.Json;
import org.likeness.trace.TraceResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

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
        return Trace.isScan(p);
    }

    @Override
    public Integer call() throws IOException {
        String command = "likeness trace " + suspect + " --report " + report + (dbOption.db() != null ? " --db " + dbOption.db() : "")
                + (noFaces ? " --no-faces" : "");
        Trace.Result run = new Trace(new RegistrySession(dbOption.db(), env), () -> pipelineOptions.open(1),
                System.getProperty("user.name", "unknown"), threadsOption.threads())
                .run(new Trace.Request(suspect, report, evidence, !noFaces, command), new CliListener(err(), !noProgress), Cancellation.none());
        TraceResult result = run.trace();
        if (jsonOption.json()) {
            out().println(Json.PRETTY.writeValueAsString(result.json()));
        } else {
            out().println(result.text());
        }
        if (report != null) {
            (jsonOption.json() ? err() : out()).println("report: " + report.resolve("report.html").toAbsolutePath());
        }
        if (result.images().isEmpty()) {
            err().println("likeness: " + suspect + ": " + (run.badScanLines() > 0 ? "no valid record in the scan" : "no files to trace")
                    + ": nothing was checked");
        }
        return exitCode(result, run.badScanLines());
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
}
