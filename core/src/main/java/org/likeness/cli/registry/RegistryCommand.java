package org.likeness.cli.registry;

import org.likeness.cli.ExitCodes;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import org.likeness.registry.MasterKey;
import org.likeness.registry.MasterKeyException;
import org.likeness.registry.Registry;
import org.likeness.registry.RegistryLocation;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code likeness registry ...}: set up the consent registry. */
@Command(name = "registry", description = "Set up the consent registry.", mixinStandardHelpOptions = true,
        subcommands = {RegistryCommand.Init.class, RegistryCommand.Compact.class, RegistryBackupCommands.Backup.class,
                RegistryBackupCommands.Restore.class})
public final class RegistryCommand {
    final Map<String, String> env;

    public RegistryCommand() {
        this(System.getenv());
    }

    /** For tests and embedding: the environment to read LIKENESS_* variables from. */
    public RegistryCommand(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    @Command(name = "init", mixinStandardHelpOptions = true,
            description = {"Create the registry schema and, unless LIKENESS_MASTER_KEY is set, a new master key file"
                    + " $LIKENESS_HOME/registry/master.key with mode 0600.",
                    "Keep the key file away from database backups: without it the templates cannot be decrypted.",
                    "Running init again on an initialised registry changes nothing."})
    static final class Init extends RegistryAction {
        @ParentCommand
        RegistryCommand parent;

        @Override
        Map<String, String> env() {
            return parent.env;
        }

        @Override
        int execute() throws IOException {
            RegistryLocation location = options.location(env());
            boolean envKey = env().get(MasterKey.ENV) != null;
            boolean newKey = !envKey && !Files.exists(location.defaultKeyFile());
            if (newKey && Registry.isInitialised(location)) {
                // a new key cannot open a registry initialised with another one: never create it
                throw new MasterKeyException("registry " + location.jdbcUrl() + " is already initialised, but its master key file "
                        + location.defaultKeyFile() + " is missing: restore that file from your key backup, or set "
                        + MasterKey.ENV + " to the registry's key; no new key was created");
            }
            boolean created;
            try (MasterKey key = newKey ? MasterKey.create(location.defaultKeyFile())
                    : options.masterKey(location, env())) {
                created = Registry.init(location, key, options.actor());
            }
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("database", location.jdbcUrl());
            json.put("initialised", created);
            json.put("master_key", envKey ? "environment variable " + MasterKey.ENV
                    : location.defaultKeyFile().toString());
            json.put("master_key_created", newKey);
            print(json, (created ? "initialised registry " : "registry already initialised: ") + location.jdbcUrl()
                    + "\nmaster key: " + json.get("master_key")
                    + (newKey ? " (new, mode 0600: back it up apart from the database)" : ""));
            return ExitCodes.OK;
        }

        @Override
        int run(Registry registry, PrintWriter out) {
            throw new UnsupportedOperationException("init does not open an existing registry");
        }
    }

    @Command(name = "compact", mixinStandardHelpOptions = true,
            description = {"Remove deleted rows from the database files: H2 rewrites its file (when no other process has it"
                    + " open), PostgreSQL runs VACUUM. Erasure does this itself; run it when an erasure said it was deferred."})
    static final class Compact extends RegistryAction {
        @ParentCommand
        RegistryCommand parent;

        @Override
        Map<String, String> env() {
            return parent.env;
        }

        @Override
        int run(Registry registry, PrintWriter out) {
            String done = registry.compact();
            print(Map.of("database_files", done), done);
            return ExitCodes.OK;
        }
    }
}
