package org.likeness.cli.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.likeness.registry.DuplicateException;
import org.likeness.registry.InvalidInputException;
import org.likeness.registry.MasterKey;
import org.likeness.registry.Registry;
import org.likeness.registry.RegistryException;
import org.likeness.registry.RegistryLocation;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A leaf registry command: opens the registry, runs, and turns a typed error into one line on
 * stderr and an exit code from {@link RegistryExit}; never a stack trace for a user mistake.
 */
abstract class RegistryAction implements Callable<Integer> {
    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    @Mixin
    RegistryOptions options;

    @Spec
    CommandSpec spec;

    /**
     * Flyway reports every migration check at INFO through java.util.logging; on the command line
     * that is noise on stderr, so commands keep only its warnings. Held here so that the logger
     * (and its level) is not garbage-collected while the command runs.
     */
    private final java.util.logging.Logger flywayLog = java.util.logging.Logger.getLogger("org.flywaydb");

    /** The environment, from the top-level command (tests give their own). */
    abstract Map<String, String> env();

    abstract int run(Registry registry, PrintWriter out) throws IOException;

    @Override
    public Integer call() {
        flywayLog.setLevel(java.util.logging.Level.WARNING);
        try {
            return execute();
        } catch (InvalidInputException | DuplicateException e) {
            return fail(RegistryExit.USAGE, e.getMessage());
        } catch (RegistryException e) {
            return fail(RegistryExit.FAILED, e.getMessage());
        } catch (IOException e) {
            return fail(RegistryExit.USAGE, org.likeness.files.IoMessages.of(e));
        }
    }

    /** Opens the registry and runs; {@code registry init} overrides it. */
    int execute() throws IOException {
        RegistryLocation location = options.location(env());
        try (MasterKey key = options.masterKey(location, env()); Registry registry = options.open(location, key)) {
            return run(registry, out());
        }
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    int fail(int code, String message) {
        // one line, no control characters (values inside the message were escaped where they were quoted)
        spec.commandLine().getErr().println("error: " + terminalSafe(message).replace("\n", "\\u000a").replace("\t", "\\u0009"));
        spec.commandLine().getErr().flush();
        return code;
    }

    /** A backstop for every text output: control characters other than line breaks and tabs are escaped as \\uXXXX. */
    static String terminalSafe(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == '\n' || ch == '\t' || ch == '\\') {
                b.append(ch);
            } else {
                b.append(org.likeness.registry.InputText.printable(String.valueOf(ch)));
            }
        }
        return b.toString();
    }

    void print(Object jsonValue, String text) {
        PrintWriter out = out();
        if (options.json) {
            try {
                out.println(JSON.writeValueAsString(jsonValue));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write JSON", e);
            }
        } else {
            out.println(terminalSafe(text));
        }
        out.flush();
    }
}
