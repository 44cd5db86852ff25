package org.likeness.cli.registry;

import org.likeness.json.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.likeness.registry.MasterKey;
import org.likeness.registry.Registry;
import org.likeness.registry.RegistryLocation;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A leaf registry command: opens the registry and runs. A typed error is thrown to the one handler of the command line
 * ({@link org.likeness.cli.Failures}), which prints it as one line and maps it to its exit code.
 */
abstract class RegistryAction implements Callable<Integer> {
    private static final com.fasterxml.jackson.databind.ObjectWriter JSON = Json.PRETTY;

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
    public Integer call() throws IOException {
        flywayLog.setLevel(java.util.logging.Level.WARNING);
        return execute();
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
        if (options.json()) {
            printJson(jsonValue);
        } else {
            out().println(terminalSafe(text));
            out().flush();
        }
    }

    /** {@code jsonValue} as indented JSON on stdout. */
    void printJson(Object jsonValue) {
        try {
            out().println(JSON.writeValueAsString(jsonValue));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
        out().flush();
    }
}
