package org.likeness.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the {@code likeness} command line in-process with stderr (progress, failure lines) swallowed. */
final class QuietCli {
    private QuietCli() {
    }

    /** The exit code. */
    static int run(String... args) {
        return Main.run(System.getenv(), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), args);
    }

    /** What the command printed on stdout. */
    static String stdout(String... args) {
        StringWriter out = new StringWriter();
        Main.run(System.getenv(), new PrintWriter(out, true), new PrintWriter(new StringWriter()), args);
        return out.toString();
    }
}
