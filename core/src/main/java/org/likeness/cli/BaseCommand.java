package org.likeness.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that prints: everything goes through picocli's streams ({@link #out()} for results, {@link #err()} for
 * progress, failure lines and notes), never System.out, so that a caller (a test, an embedding program) chooses where
 * it goes with {@code CommandLine.setOut/setErr}. Failures are thrown, not printed: see {@link Failures}.
 */
public abstract class BaseCommand implements Callable<Integer> {
    @Spec
    protected CommandSpec spec;

    /** Standard output: the command's result (text or JSON). */
    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Standard error: progress, per-file failure lines ({@code likeness: PATH: REASON}), notes. */
    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
