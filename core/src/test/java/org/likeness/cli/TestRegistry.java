package org.likeness.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** An embedded registry under a test's own $LIKENESS_HOME, driven through the real command line. */
final class TestRegistry {
    final Map<String, String> env = new HashMap<>();

    /** What one command printed and returned. */
    record Run(int code, String out, String err) {
    }

    TestRegistry(Path home) {
        env.put("LIKENESS_HOME", home.toString());
        run("registry", "init");
    }

    /** Runs any likeness command with this registry's environment. */
    Run exec(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.run(env, new PrintWriter(o, true), new PrintWriter(e, true), args);
        return new Run(code, o.toString(), e.toString());
    }

    /** Runs a command that must succeed (exit 0); returns its stdout. */
    String run(String... args) {
        Run r = exec(args);
        assertThat(r.code()).as(String.join(" ", args) + ": " + r.err()).isZero();
        return r.out();
    }

    /** Audits a folder for training against this registry into {@code report}; returns the exit code. */
    int audit(Path dataset, Path report) {
        return exec("audit", dataset.toString(), "--purpose", "training", "--report", report.toString()).code();
    }
}
