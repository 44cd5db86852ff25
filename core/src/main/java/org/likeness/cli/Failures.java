package org.likeness.cli;

import java.io.IOException;
import java.io.PrintWriter;
import org.likeness.model.ModelException;
import org.likeness.registry.DuplicateException;
import org.likeness.registry.InvalidInputException;
import org.likeness.registry.NotFoundException;
import org.likeness.registry.RegistryException;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The one error model of the command line: every command's exception ends here, is printed as one line
 * {@code likeness: [PATH: ]REASON} and mapped to the exit code documented in the README. A stack trace is printed only
 * with {@code --debug}; an exception that is not a user-facing failure is an internal error.
 */
public final class Failures implements CommandLine.IExecutionExceptionHandler, CommandLine.IExitCodeExceptionMapper,
        CommandLine.IParameterExceptionHandler {
    /** The global option that asks for stack traces. */
    public static final String DEBUG = "--debug";

    /** Installs the handler, the exit-code mapper and the inherited {@code --debug} option on {@code root}. */
    public static CommandLine install(CommandLine root) {
        Failures failures = new Failures();
        if (root.getCommandSpec().findOption(DEBUG) == null) {
            root.getCommandSpec().addOption(OptionSpec.builder(DEBUG).arity("0").type(boolean.class)
                    .scopeType(CommandLine.ScopeType.INHERIT)
                    .description("On an error, print the stack trace too.").build());
        }
        root.setExecutionExceptionHandler(failures);
        root.setParameterExceptionHandler(failures);
        root.setExitCodeExceptionMapper(failures);
        return root;
    }

    /**
     * The registry's own commands: for them a failed check of the registry (tampering, wrong master key, database
     * failure) is the command's result, exit 1. For the pipeline's commands (audit, redact, release, trace, verify) the
     * same failure means nothing was produced: exit 2 (docs/REGISTRY.md). "Not found" exits 1 from every command.
     */
    static final java.util.Set<String> REGISTRY_FAMILY = java.util.Set.of("registry", "subject", "consent", "log",
            "impact", "watch", "collection");

    /** The exit code for {@code e} thrown by {@code cmd}, as documented in the README. */
    public static int exitCode(Throwable e, CommandLine cmd) {
        int code = exitCode(e);
        if (code == ExitCodes.SOME_FAILED && e instanceof RegistryException && !(e instanceof NotFoundException)
                && !REGISTRY_FAMILY.contains(topLevel(cmd))) {
            return ExitCodes.ERROR;
        }
        return code;
    }

    /** The name of the top-level command that {@code cmd} belongs to ({@code collection} for {@code collection show}). */
    private static String topLevel(CommandLine cmd) {
        CommandLine.Model.CommandSpec spec = cmd.getCommandSpec();
        while (spec.parent() != null && spec.parent().parent() != null) {
            spec = spec.parent();
        }
        return spec.name();
    }

    /** The exit code for {@code e}, as documented in the README, for a registry command. */
    public static int exitCode(Throwable e) {
        if (e instanceof LikenessException l) {
            return l.exitCode();
        }
        if (e instanceof org.likeness.app.RequestException || e instanceof org.likeness.app.CancelledException) {
            return ExitCodes.ERROR;
        }
        if (e instanceof InvalidInputException || e instanceof DuplicateException) {
            return ExitCodes.ERROR;
        }
        if (e instanceof RegistryException) { // not found, master key, tampering, storage: a failed check
            return ExitCodes.SOME_FAILED;
        }
        return ExitCodes.ERROR; // models, unreadable input, usage, internal errors: nothing useful was produced
    }

    /** Whether {@code e} is a failure the user can act on (printed without "internal error"). */
    static boolean userFacing(Throwable e) {
        return e instanceof LikenessException || e instanceof org.likeness.app.RequestException || e instanceof RegistryException || e instanceof ModelException
                || e instanceof IOException || e instanceof java.io.UncheckedIOException
                || e instanceof org.likeness.fingerprint.FingerprintException;
    }

    /** One failure line for {@code path}: {@code likeness: PATH: REASON}. */
    public static void print(PrintWriter err, Object path, String reason) {
        err.println("likeness: " + oneLine(path + ": " + reason));
        err.flush();
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        if (userFacing(ex)) {
            String message = ex instanceof java.io.UncheckedIOException u && u.getCause() != null
                    ? org.likeness.files.IoMessages.of(u.getCause())
                    : ex instanceof IOException io ? org.likeness.files.IoMessages.of(io) : ex.getMessage();
            err.println("likeness: " + oneLine(message));
        } else {
            err.println("likeness: internal error: " + oneLine(String.valueOf(ex)));
            if (!debug(parsed)) {
                err.println("likeness: run with " + DEBUG + " for the stack trace");
            }
        }
        if (debug(parsed)) {
            ex.printStackTrace(err);
        }
        err.flush();
        return exitCode(ex, cmd);
    }

    /**
     * A usage error (unknown option, missing parameter, a value outside its vocabulary): one line naming it, then
     * where to read the usage, then picocli's suggestions for a misspelt option; exit 2.
     */
    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("likeness: " + oneLine(ex.getMessage()) + " (see '" + cmd.getCommandSpec().qualifiedName()
                + " --help')");
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
        if (debug(cmd.getParseResult())) {
            ex.printStackTrace(err);
        }
        err.flush();
        return ExitCodes.ERROR;
    }

    @Override
    public int getExitCode(Throwable exception) {
        return exitCode(exception);
    }

    /** Whether {@code --debug} was given anywhere on the command line. */
    static boolean debug(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption(DEBUG)) {
                return true;
            }
        }
        return false;
    }

    /** One line, no control characters: values inside messages were escaped where they were quoted. */
    static String oneLine(String message) {
        if (message == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder(message.length());
        for (int i = 0; i < message.length(); i++) {
            char ch = message.charAt(i);
            if (ch == '\\') {
                b.append(ch);
            } else {
                b.append(org.likeness.registry.InputText.printable(String.valueOf(ch)));
            }
        }
        return b.toString();
    }
}
