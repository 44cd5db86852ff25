package org.likeness.cli;

import org.likeness.cli.registry.RegistryCommands;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** An embedded registry under a test's own $LIKENESS_HOME, driven through the real commands. */
final class TestRegistry {
    @CommandLine.Command(name = "likeness")
    static final class Root {
    }

    final Map<String, String> env = new HashMap<>();

    TestRegistry(Path home) {
        env.put("LIKENESS_HOME", home.toString());
        run("registry", "init");
    }

    /** Runs a registry command (registry, subject, consent, log, collection, impact); fails the test unless it exits 0. */
    String run(String... args) {
        CommandLine root = RegistryCommands.addTo(new CommandLine(new Root()), PipelineFaceSource::openDefault, env);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        root.setOut(new PrintWriter(out, true));
        root.setErr(new PrintWriter(err, true));
        int code = root.execute(args);
        assertThat(code).as(String.join(" ", args) + ": " + err).isZero();
        return out.toString();
    }

    /** Audits a folder for training against this registry into {@code report}; returns the exit code. */
    int audit(Path dataset, Path report) {
        PrintStream err = System.err;
        PrintStream out = System.out;
        System.setErr(new PrintStream(new ByteArrayOutputStream()));
        System.setOut(new PrintStream(new ByteArrayOutputStream()));
        try {
            return new CommandLine(new AuditCommand(env)).execute(dataset.toString(), "--purpose", "training", "--report", report.toString());
        } finally {
            System.setErr(err);
            System.setOut(out);
        }
    }
}
