package org.likeness.cli;

import org.likeness.hash.HashIndex;
import picocli.CommandLine.Option;

/** {@code --radius}: the PDQ Hamming radius of {@code dupes} and {@code match}. */
final class RadiusOption {
    @Option(names = "--radius", description = "Hamming radius (default ${DEFAULT-VALUE}, Meta's PDQ match threshold).")
    int radius = HashIndex.MATCH_THRESHOLD;
}
