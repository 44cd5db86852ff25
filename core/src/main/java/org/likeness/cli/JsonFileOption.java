package org.likeness.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --json-out FILE}: also write the results as JSON to a file (measuring commands, {@code match}). Distinct
 * from {@link JsonOption}: {@code --json} always means JSON on stdout instead of text.
 */
public final class JsonFileOption {
    @Option(names = "--json-out", paramLabel = "FILE", description = "Also write the results as JSON to FILE.")
    Path file;

    /** The file to write, or {@code null}. */
    public Path file() {
        return file;
    }
}
