package org.likeness.lab;

import org.likeness.cli.Main;

import java.util.List;

/**
 * The lab's entry point: the product's command line plus {@code eval} and {@code bench}. The {@code ./likeness}
 * launcher runs it for those two commands; the product jar has neither.
 */
public final class LabMain {
    /** The lab's top-level commands, added beside the product's. */
    public static final List<Class<?>> COMMANDS = List.of(EvalCommand.class, BenchCommand.class);

    private LabMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line with the lab's commands available (tests call this). */
    public static int run(String... args) {
        return Main.runWith(System.getenv(), COMMANDS, args);
    }
}
