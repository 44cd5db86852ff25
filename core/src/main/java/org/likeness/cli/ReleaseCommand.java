package org.likeness.cli;

import org.likeness.app.Cancellation;
import org.likeness.app.RegistrySession;
import org.likeness.app.Release;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** {@code likeness release COLLECTION --to RECIPIENT -o DIR}. */
@Command(name = "release", mixinStandardHelpOptions = true,
        description = "Write a recipient's copy of a registered collection in which every photo carries an invisible fingerprint naming"
                + " the recipient, keyed by a secret held in the registry (nobody else can read or forge it). The release is recorded"
                + " and logged; `likeness trace` names the recipient of a leaked copy. Exit 1 when some photos could not be released"
                + " (changed since registration, unreadable, too small to mark).")
final class ReleaseCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "COLLECTION", description = "A registered collection (`likeness collection list`).")
    String collection;
    @Option(names = "--to", required = true, paramLabel = "RECIPIENT", description = "Who receives the copy: letters, digits, '.', '_', '@', '-'.")
    String recipient;
    @Option(names = {"-o", "--output", "--out"}, required = true, paramLabel = "DIR", description = "Folder for the copy (new or empty); same relative paths,"
            + " JPEG and PNG keep their names; other formats are written as PNG with .png appended (a.webp becomes a.webp.png).")
    Path out;
    @Mixin
    DbOption dbOption;
    @Mixin
    ThreadsOption threadsOption;
    @Option(names = "--no-progress", description = "No progress line on stderr.")
    boolean noProgress;

    /** In OUT while a release is being written: names the collection and recipient, so the same command can finish it. */
    static final String INCOMPLETE_MARKER = Release.INCOMPLETE_MARKER;

    private final Map<String, String> env;

    ReleaseCommand() {
        this(System.getenv());
    }

    ReleaseCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        Release.Result r = new Release(new RegistrySession(dbOption.db(), env), System.getProperty("user.name", "unknown"), threadsOption.threads())
                .run(new Release.Request(collection, recipient, out), new CliListener(err(), !noProgress), Cancellation.none());
        out().printf(Locale.ROOT, "released %s to %s: %d of %d photos fingerprinted (lowest PSNR %.1f dB), key %s; %s%n",
                collection, recipient, r.written(), r.total(), r.minPsnr(), r.keyId(), out.toAbsolutePath());
        return r.complete() ? ExitCodes.OK : ExitCodes.SOME_FAILED;
    }
}
