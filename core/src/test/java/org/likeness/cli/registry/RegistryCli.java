package org.likeness.cli.registry;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.likeness.cli.Failures;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The registry commands as the launcher wires them (one error model), on an H2 registry under a temporary
 * LIKENESS_HOME, photos read by {@link LinesFaceSource}, output captured: what this package's CLI tests run.
 */
final class RegistryCli {
    record Run(int code, String out, String err) {
    }

    @Command(name = "likeness")
    static final class Root {
    }

    /** The environment the commands see; tests may add to it. */
    final Map<String, String> env = new HashMap<>();

    RegistryCli(Path tmp) {
        env.put("LIKENESS_HOME", tmp.resolve("home").toString());
    }

    Run run(String... args) {
        CommandLine root = RegistryCommands.addTo(Failures.install(new CommandLine(new Root())), LinesFaceSource::new, env);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        root.setOut(new PrintWriter(out, true));
        root.setErr(new PrintWriter(err, true));
        int code = root.execute(args);
        return new Run(code, out.toString(), err.toString());
    }
}
