package org.likeness.cli.registry;

import org.likeness.app.Watch;
import org.likeness.cli.Choices;
import org.likeness.cli.ExitCodes;
import org.likeness.registry.Purpose;
import org.likeness.registry.Registry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;

/**
 * {@code likeness watch}: prints what {@link Watch} finds at each check. The cursor is the log itself: each check appends
 * {@code watch.check} with the sequence number it covered, so a restarted watch carries on where it stopped and the
 * checks are as tamper-evident as the changes they answer.
 */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = "Re-audit registered collections whenever consent changes (grants, revocations, erasures since the last check):"
                + " print, per collection, the faces no longer usable for the purpose and the images of each changed subject;"
                + " each check is logged as watch.check. Runs until stopped, or once with --once.")
public final class WatchCommand extends RegistryAction {
    @Option(names = "--purpose", converter = Choices.PurposeWord.class, completionCandidates = Choices.PurposeWord.class, paramLabel = "P", defaultValue = "training", description = "Purpose the collections are held for (default ${DEFAULT-VALUE}).")
    String purpose;
    @Option(names = "--once", description = "Check once and exit.")
    boolean once;
    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "60", description = "Seconds between checks (default ${DEFAULT-VALUE}).")
    int interval;

    private final Map<String, String> env;

    public WatchCommand() {
        this(System.getenv());
    }

    public WatchCommand(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    @Override
    Map<String, String> env() {
        return env;
    }

    @Override
    int run(Registry registry, PrintWriter out) throws IOException {
        Purpose p = Purpose.parse(purpose);
        Watch watch = new Watch(p);
        while (true) {
            registry.reverify(); // rows edited while watch runs are caught at the next check, not only at start
            print(watch.check(registry), p, out);
            out.flush();
            if (once) {
                return ExitCodes.OK;
            }
            try {
                Thread.sleep(Math.max(1, interval) * 1000L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return ExitCodes.OK;
            }
        }
    }

    private static void print(Watch.Check c, Purpose p, PrintWriter out) {
        if (!c.recorded()) {
            out.println("no consent or collection change since log entry " + c.since());
            return;
        }
        out.println("consent changed for " + (c.changed().isEmpty() ? "nobody" : String.join(", ", c.changed())) + " since log entry "
                + c.since() + "; collections for " + p.word() + " now:");
        for (Watch.CollectionState col : c.collections()) {
            out.printf("  %-24s %6d faces, %6d not usable for %s%s%n", col.name(), col.faces(), col.notUsable(), p.word(),
                    col.notUsable() > 0 ? " (clean copy: likeness redact --collection " + col.name() + " --purpose " + p.word() + " -o DIR)" : "");
            col.changedSubjectImages().forEach((subject, paths) ->
                    out.println("    " + subject + " (" + c.states().get(subject).name().toLowerCase(java.util.Locale.ROOT) + "): "
                            + String.join(", ", paths)));
        }
    }
}
