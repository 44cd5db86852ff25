package org.likeness.cli.registry;

import org.likeness.cli.ExitCodes;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.likeness.registry.LogEntry;
import org.likeness.registry.LogVerification;
import org.likeness.registry.MasterKey;
import org.likeness.registry.Registry;
import org.likeness.registry.RegistryLocation;
import org.likeness.registry.RegistryVerification;
import org.likeness.registry.RowMismatch;
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
            LogVerification v = all.chain();
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("intact", all.intact());
            json.put("chain_intact", v.intact());
            json.put("entries", v.entries());
            json.put("head", v.headHash());
            json.put("first_broken_seq", v.intact() ? null : v.firstBrokenSeq());
            json.put("reason", v.reason());
            json.put("head_file", all.headFile());
            json.put("head_file_problem", all.anchorProblem());
            json.put("row_mismatches", all.rows().stream().map(m -> Map.of("table", m.table(), "id", m.id(), "field", m.field(),
                    "row", m.rowValue(), "logged", m.loggedValue())).toList());
            List<String> lines = new java.util.ArrayList<>();
            lines.add(v.intact() ? (all.intact() ? "log intact: " : "log chain intact: ") + v.entries() + (v.entries() == 1 ? " entry" : " entries")
                    + ", head " + v.headHash()
                    : "log BROKEN at entry " + v.firstBrokenSeq() + ": " + v.reason());
            lines.add(all.anchorProblem() == null ? "head file " + all.headFile() + ": the database holds the entry it records"
                    : "HEAD FILE MISMATCH: " + all.anchorProblem());
            for (RowMismatch m : all.rows()) {
                lines.add("ROW MISMATCH " + org.likeness.registry.InputText.printable(m.toString()));
            }
            lines.add(all.rows().isEmpty() ? "rows: every subject, key, enrolment, consent and collection row matches the log"
                    : all.rows().size() + " row(s) differ from the log");
            lines.add(all.intact() ? "registry intact" : "registry NOT intact");
            print(json, String.join("\n", lines));
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
