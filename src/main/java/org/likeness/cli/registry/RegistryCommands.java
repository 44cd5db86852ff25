package org.likeness.cli.registry;

import java.util.Map;
import picocli.CommandLine;

/** Registers the registry's top-level commands on the application's root command line. */
public final class RegistryCommands {
    private RegistryCommands() {
    }

    /** Adds {@code registry}, {@code subject}, {@code consent} and {@code log} to {@code root}. */
    public static CommandLine addTo(CommandLine root, FaceSourceFactory faces) {
        return addTo(root, faces, System.getenv());
    }

    public static CommandLine addTo(CommandLine root, FaceSourceFactory faces, Map<String, String> env) {
        return root.addSubcommand(new RegistryCommand(env))
                .addSubcommand(new SubjectCommand(faces, env))
                .addSubcommand(new ConsentCommand(env))
                .addSubcommand(new LogCommand(env))
                .addSubcommand(new ImpactCommand(env))
                .addSubcommand(new WatchCommand(env));
    }
}
