package org.likeness.cli.registry;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.likeness.cli.ExitCodes;
import org.likeness.registry.InvalidInputException;
import org.likeness.registry.MasterKey;
import org.likeness.registry.Registry;
import org.likeness.registry.RegistryBackup;
import org.likeness.registry.RegistryLocation;
import org.likeness.registry.RegistryRestore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code likeness registry backup|restore}: a backup that respects erasure (docs/REGISTRY.md, "Backups and erasure"). */
final class RegistryBackupCommands {
    private RegistryBackupCommands() {
    }

    private static final String PG_BACKUP = "registry backup writes H2 registries only: back up a PostgreSQL registry's"
            + " database with pg_dump and never its key store (docs/REGISTRY.md, \"Backups and erasure\")";
    private static final String PG_RESTORE = "registry restore writes H2 registries only: restore a PostgreSQL registry's"
            + " database with pg_restore (docs/REGISTRY.md, \"Backups and erasure\")";

    @Command(name = "backup", mixinStandardHelpOptions = true,
            description = {"Write a backup of the H2 registry's database into a new folder (0700, files 0600):"
                    + " registry.sql.gz and backup.json.",
                    "It never holds the key store or the master key: subjects' data keys stay in the live key store, where"
                    + " erasure destroys them, so an erasure made later is honoured by this backup too."})
    static final class Backup extends RegistryAction {
        @ParentCommand
        RegistryCommand parent;

        @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "New or empty folder to write.")
        Path dir;

        @Override
        Map<String, String> env() {
            return parent.env;
        }

        @Override
        int execute() throws IOException {
            if (options.location(env()).postgres()) {
                throw new InvalidInputException(PG_BACKUP);
            }
            return super.execute();
        }

        @Override
        int run(Registry registry, PrintWriter out) {
            RegistryBackup.Manifest m = RegistryBackup.backup(registry, dir);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("backup", dir.toAbsolutePath().normalize().toString());
            json.put("registry", m.registryId());
            json.put("log_seq", m.seq());
            json.put("log_head", m.hash());
            json.put("created", m.created().toString());
            print(json, "backup written to " + dir + ": registry " + m.registryId() + " at log entry " + m.seq() + " (" + m.hash()
                    + ")\nit holds the database only: data keys stay in the key store, so later erasures apply to it too");
            return ExitCodes.OK;
        }
    }

    @Command(name = "restore", mixinStandardHelpOptions = true,
            description = {"Put a backup made by `registry backup` in place of the H2 registry's database, then apply the live"
                    + " key store: subjects whose key was destroyed after the backup are recorded as erased, keys of subjects"
                    + " added after it are destroyed. Refused while another process has the registry open.",
                    "The replaced database file is kept as registry.mv.db.before-restore-TIME (0600)."})
    static final class Restore extends RegistryAction {
        @ParentCommand
        RegistryCommand parent;

        @Parameters(index = "0", paramLabel = "DIR", description = "The backup folder.")
        Path dir;

        @Option(names = "--yes", description = "Replace the current database (required when there is one).")
        boolean yes;

        @Override
        Map<String, String> env() {
            return parent.env;
        }

        @Override
        int execute() throws IOException {
            RegistryLocation location = options.location(env());
            if (location.postgres()) {
                throw new InvalidInputException(PG_RESTORE);
            }
            RegistryRestore.Report r;
            try (MasterKey key = options.masterKey(location, env())) {
                r = RegistryRestore.restore(location, key, options.actor(), dir, yes);
            }
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("registry", r.registryId());
            json.put("backup", dir.toAbsolutePath().normalize().toString());
            json.put("backup_seq", r.backupSeq());
            json.put("previous_seq", r.previousSeq());
            json.put("lost_entries", r.lostEntries());
            json.put("subjects_erased", r.subjectsErased());
            json.put("revocations_replayed", r.revocationsReplayed());
            json.put("key_slots_destroyed", r.keySlotsDestroyed());
            json.put("audit_caches_kept", r.auditCachesKept());
            json.put("replaced_database", r.setAside() == null ? null : r.setAside().toString());
            json.put("log_seq", r.seq());
            json.put("log_head", r.hash());
            json.put("database_files", r.storage());
            StringBuilder text = new StringBuilder("restored registry " + r.registryId() + " from " + dir + " (log entry "
                    + r.backupSeq() + ")");
            if (r.previousSeq() != null) {
                text.append("\nreplaced database: log entry ").append(r.previousSeq()).append(", ").append(r.lostEntries())
                        .append(r.lostEntries() == 1 ? " entry after the backup is" : " entries after the backup are")
                        .append(" not in the restored log; kept as ").append(r.setAside());
            } else {
                text.append("\nno current database was there");
            }
            text.append("\nerased (key destroyed after the backup): ").append(r.subjectsErased().size())
                    .append(r.subjectsErased().isEmpty() ? "" : " " + String.join(", ", r.subjectsErased()));
            text.append("\nconsent revocations made after the backup, replayed: ").append(r.revocationsReplayed());
            text.append("\nkey slots destroyed (subjects added after the backup): ").append(r.keySlotsDestroyed());
            text.append("\n").append(r.storage()).append("; log head ").append(r.seq()).append(" ").append(r.hash());
            print(json, text.toString());
            return ExitCodes.OK;
        }

        @Override
        int run(Registry registry, PrintWriter out) {
            throw new UnsupportedOperationException("restore does not open the registry it replaces");
        }
    }
}
