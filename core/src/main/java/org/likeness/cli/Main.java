package org.likeness.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code likeness} command. */
@Command(name = "likeness", mixinStandardHelpOptions = true, version = "likeness 0.1.0",
        description = "Find, audit and trace faces in image datasets.")
public final class Main {
    /**
     * The top-level commands besides the registry's, in the order help lists them. picocli builds the model of every
     * command it is given, which is a third of a short command's start-up; {@link #run} therefore gives it only the
     * command that was named (all of them when none or an unknown one was, so that help and errors list them all).
     */
    private static final java.util.List<Class<?>> COMMANDS = java.util.List.of(ModelsCommand.class, ScanCommand.class,
            CompareCommand.class, DemoCommand.class, HashCommand.class,
            DupesCommand.class, MatchCommand.class, ClusterCommand.class, AuditCommand.class, RedactCommand.class,
            CollectionCommand.class, ReleaseCommand.class, TraceCommand.class, VerifyCommand.class, ServeCommand.class,
            HashlistCommand.class, ScreenCommand.class);

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
        return runWith(env, java.util.List.of(), args);
    }

    /**
     * Runs a command line with further top-level commands beside the product's: the lab module's {@code eval} and
     * {@code bench} ({@code org.likeness.lab.LabMain}), which the product jar does not contain.
     */
    public static int runWith(java.util.Map<String, String> env, java.util.List<Class<?>> extra, String... args) {
        // names from datasets reach stdout and stderr through many commands: none may drive the terminal raw
        java.io.PrintStream out = System.out;
        java.io.PrintStream err = System.err;
        System.setOut(new java.io.PrintStream(org.likeness.files.TerminalText.filter(out), true, java.nio.charset.StandardCharsets.UTF_8));
        System.setErr(new java.io.PrintStream(org.likeness.files.TerminalText.filter(err), true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            return run(env, new java.io.PrintWriter(new java.io.OutputStreamWriter(System.out, java.nio.charset.StandardCharsets.UTF_8), true),
                    new java.io.PrintWriter(new java.io.OutputStreamWriter(System.err, java.nio.charset.StandardCharsets.UTF_8), true), extra, args);
        } finally {
            System.out.flush();
            System.err.flush();
            System.setOut(out);
            System.setErr(err);
        }
    }

    /**
     * Runs a command line with the given environment, writing what it prints to {@code out} and {@code err}: every
     * command prints through picocli's streams ({@code spec.commandLine().getOut()/getErr()}), never to System.out.
     * Names from datasets reach both through many commands: both pass {@link org.likeness.files.TerminalText#filter},
     * so that none may drive the terminal raw.
     */
    public static int run(java.util.Map<String, String> env, java.io.PrintWriter rawOut, java.io.PrintWriter rawErr,
                          String... args) {
        return run(env, rawOut, rawErr, java.util.List.of(), args);
    }

    /** As {@link #run(java.util.Map, java.io.PrintWriter, java.io.PrintWriter, String...)}, with further commands. */
    public static int run(java.util.Map<String, String> env, java.io.PrintWriter rawOut, java.io.PrintWriter rawErr,
                          java.util.List<Class<?>> extra, String... args) {
        java.util.List<Class<?>> commands = new java.util.ArrayList<>(COMMANDS);
        commands.addAll(extra);
        java.io.PrintWriter out = new java.io.PrintWriter(org.likeness.files.TerminalText.filter(rawOut), true);
        java.io.PrintWriter err = new java.io.PrintWriter(org.likeness.files.TerminalText.filter(rawErr), true);
        FLYWAY_LOG.setLevel(java.util.logging.Level.WARNING);
        EnvFactory factory = new EnvFactory(env);
        CommandLine cl = Failures.install(new CommandLine(new Main(), factory));
        String named = args.length > 0 && !args[0].startsWith("-") ? args[0] : null;
        java.util.function.Predicate<String> wanted = name -> true;
        if (named != null && (org.likeness.cli.registry.RegistryCommands.NAMES.contains(named) || commands.stream()
                .anyMatch(c -> c.getAnnotation(Command.class).name().equals(named)))) {
            wanted = named::equals;
        }
        for (Class<?> c : commands) {
            String name = c.getAnnotation(Command.class).name();
            if (wanted.test(name)) {
                cl.addSubcommand(name, new CommandLine(c, factory));
            }
        }
        org.likeness.cli.registry.RegistryCommands.addTo(cl, PipelineFaceSource::openDefault, env, wanted);
        cl.addSubcommand("help", new CommandLine.HelpCommand());
        cl.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF)); // no escapes of our own either
        cl.setOut(out);
        cl.setErr(err);
        try {
            return cl.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
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
