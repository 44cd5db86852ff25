package org.likeness.cli.registry;

import org.likeness.cli.ExitCodes;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import org.likeness.registry.LogEntry;
import org.likeness.registry.MasterKey;
import org.likeness.registry.Registry;
import org.likeness.registry.RegistryLocation;
import org.likeness.registry.RegistryVerification;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code likeness log ...}: the registry's hash-chained log. */
@Command(name = "log", description = "Verify and show the registry's hash-chained log.", mixinStandardHelpOptions = true,
        subcommands = {LogCommand.Verify.class, LogCommand.Head.class, LogCommand.Show.class})
public final class LogCommand {
    private final Map<String, String> env;

    public LogCommand() {
        this(System.getenv());
    }

    public LogCommand(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    abstract static class LogAction extends RegistryAction {
        @ParentCommand
        LogCommand parent;

        @Override
        Map<String, String> env() {
            return parent.env;
        }

        /** The log commands open even a registry whose head file disagrees: verify reports it, show lets one look. */
        @Override
        int execute() throws java.io.IOException {
            RegistryLocation location = options.location(env());
            try (MasterKey key = options.masterKey(location, env());
                 Registry registry = Registry.inspect(location, key, options.actor())) {
                return run(registry, out());
            }
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Recompute the hash chain; exit 1 and name the first broken entry if any entry was edited,"
                    + " deleted or reordered."})
    static final class Verify extends LogAction {
        @Override
        int run(Registry registry, PrintWriter out) {
            RegistryVerification all = registry.verify();
            org.likeness.app.LogVerifyReport report = new org.likeness.app.LogVerifyReport(all);
            print(report.json(), report.text());
            return all.intact() ? ExitCodes.OK : ExitCodes.SOME_FAILED;
        }
    }

    @Command(name = "head", mixinStandardHelpOptions = true,
            description = "Print the hash of the last entry: record it elsewhere to detect a rewritten log later.")
    static final class Head extends LogAction {
        @Override
        int run(Registry registry, PrintWriter out) {
            String head = registry.logHead();
            print(Map.of("head", head), head);
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Print log entries in order.")
    static final class Show extends LogAction {
        @Option(names = "--from", paramLabel = "SEQ", defaultValue = "1", description = "First entry (default 1).")
        long from;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "At most N entries (default 100).")
        int limit;

        @Override
        int run(Registry registry, PrintWriter out) {
            List<LogEntry> entries = registry.log(from, limit);
            StringBuilder text = new StringBuilder();
            for (LogEntry e : entries) {
                text.append(String.format("%6d %s %-16s %-15s %s %s%n", e.seq(), e.at(),
                        org.likeness.registry.InputText.printable(e.actor()), e.action(),
                        e.hash().substring(0, 16), e.payload()));
            }
            text.append(entries.size()).append(" entr").append(entries.size() == 1 ? "y" : "ies");
            print(entries.stream().map(org.likeness.registry.LogEntry::fields).toList(), text.toString());
            return ExitCodes.OK;
        }
    }
}
