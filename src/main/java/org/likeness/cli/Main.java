package org.likeness.cli;

import org.likeness.model.ModelException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code likeness} command. */
@Command(name = "likeness", mixinStandardHelpOptions = true, version = "likeness 0.1.0",
        description = "Find, audit and trace faces in image datasets.",
        subcommands = {ModelsCommand.class, ScanCommand.class, CompareCommand.class, EvalCommand.class, BenchCommand.class, DemoCommand.class, HashCommand.class, DupesCommand.class, MatchCommand.class, ClusterCommand.class, AuditCommand.class, RedactCommand.class, CollectionCommand.class, ReleaseCommand.class, TraceCommand.class, VerifyCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {
    /** Flyway reports every migration check at INFO through java.util.logging; users see only its warnings. Held here
     * because java.util.logging keeps loggers only weakly. */
    private static final java.util.logging.Logger FLYWAY_LOG = java.util.logging.Logger.getLogger("org.flywaydb");

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (tests call this). */
    public static int run(String... args) {
        return run(System.getenv(), args);
    }

    /**
     * Runs a command line with the given environment ($LIKENESS_HOME, LIKENESS_MASTER_KEY, ...) instead of the process's:
     * every command with a {@code (Map<String, String> env)} constructor gets it.
     */
    public static int run(java.util.Map<String, String> env, String... args) {
        FLYWAY_LOG.setLevel(java.util.logging.Level.WARNING);
        CommandLine cl = new CommandLine(new Main(), new EnvFactory(env));
        org.likeness.cli.registry.RegistryCommands.addTo(cl, PipelineFaceSource::openDefault, env);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof ModelException || ex instanceof UserException || ex instanceof org.likeness.registry.RegistryException
                    || ex instanceof java.io.IOException) {
                cmd.getErr().println("likeness: " + ex.getMessage());
            } else {
                cmd.getErr().println("likeness: internal error: " + ex);
                ex.printStackTrace(cmd.getErr());
            }
            return ExitCodes.ERROR;
        });
        return cl.execute(args);
    }

    /** Creates commands, handing the environment to those that take one. */
    private record EnvFactory(java.util.Map<String, String> env) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            try {
                java.lang.reflect.Constructor<K> c = cls.getDeclaredConstructor(java.util.Map.class);
                c.setAccessible(true);
                return c.newInstance(env);
            } catch (NoSuchMethodException noEnv) {
                return CommandLine.defaultFactory().create(cls);
            }
        }
    }
}
