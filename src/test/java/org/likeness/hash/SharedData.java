package org.likeness.hash;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the shared test data: system property {@code likeness.shared}, else {@code ../shared}. */
final class SharedData {

    private SharedData() {
    }

    /** The shared folder's {@code data/<sub>}, or skips the test with a message when it is absent. */
    static Path require(String sub) {
        String configured = System.getProperty("likeness.shared", "../shared");
        Path dir = Path.of(configured).toAbsolutePath().normalize().resolve("data").resolve(sub);
        assumeTrue(Files.isDirectory(dir), "shared test data not found at " + dir
                + " (set -Dlikeness.shared=/path/to/shared); skipping");
        return dir;
    }
}
