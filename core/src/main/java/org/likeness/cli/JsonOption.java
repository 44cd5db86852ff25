package org.likeness.cli;

import picocli.CommandLine.Option;

/** {@code --json}: JSON on stdout instead of text (any text summary goes to stderr). One meaning for every command. */
public final class JsonOption {
    @Option(names = "--json", description = "Print JSON on stdout instead of text.")
    boolean json;

    public boolean json() {
        return json;
    }
}
