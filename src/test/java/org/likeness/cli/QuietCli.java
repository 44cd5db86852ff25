package org.likeness.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

/** Runs the {@code likeness} command line in-process with stderr (progress, failure lines) swallowed. */
final class QuietCli {
    private QuietCli() {
    }

    /** The exit code. */
    static int run(String... args) {
        PrintStream err = System.err;
        System.setErr(new PrintStream(new ByteArrayOutputStream()));
        try {
            return Main.run(args);
        } finally {
            System.setErr(err);
        }
    }

    /** What the command printed on stdout. */
    static String stdout(String... args) {
        PrintStream out = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true));
        try {
            run(args);
        } finally {
            System.setOut(out);
        }
        return buf.toString();
    }
}
