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

    /** The names of the commands this class adds. */
    public static final java.util.Set<String> NAMES = java.util.Set.of("registry", "subject", "consent", "log", "impact",
            "watch");

    public static CommandLine addTo(CommandLine root, FaceSourceFactory faces, Map<String, String> env) {
        return addTo(root, faces, env, name -> true);
    }

    /** Adds only the commands whose name {@code wanted} accepts (the launcher adds just the one that was named). */
    public static CommandLine addTo(CommandLine root, FaceSourceFactory faces, Map<String, String> env,
                                    java.util.function.Predicate<String> wanted) {
        if (wanted.test("registry")) {
            root.addSubcommand(new RegistryCommand(env));
        }
        if (wanted.test("subject")) {
            root.addSubcommand(new SubjectCommand(faces, env));
        }
        if (wanted.test("consent")) {
            root.addSubcommand(new ConsentCommand(env));
        }
        if (wanted.test("log")) {
            root.addSubcommand(new LogCommand(env));
        }
        if (wanted.test("impact")) {
            root.addSubcommand(new ImpactCommand(env));
        }
        if (wanted.test("watch")) {
            root.addSubcommand(new WatchCommand(env));
        }
        return root;
    }
}
