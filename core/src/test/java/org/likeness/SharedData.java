package org.likeness;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The labelled photos in {@code ../shared/data} (never copied into the repository). Tests that need them skip with a
 * clear message when the folder is absent; CI has it. Override the location with {@code -Dlikeness.shared=DIR}.
 */
public final class SharedData {
    private SharedData() {
    }

    public static Path root() {
        return Path.of(System.getProperty("likeness.shared", "../shared")).toAbsolutePath().normalize();
    }

    /** {@code ../shared/data/<rel>}, or the test is skipped with the reason. */
    public static Path require(String rel) {
        Path p = root().resolve("data").resolve(rel);
        Assumptions.assumeTrue(Files.exists(p),
                "skipped: " + p + " is absent (tests on real labelled photos need ../shared/data; see README)");
        return p;
    }
}
