package org.likeness.lab;

import picocli.CommandLine.Command;

/** {@code likeness bench …}: end-to-end figures for docs/BENCHMARKS.md (micro-benchmarks are JMH, see the README). */
@Command(name = "bench", description = "End-to-end benchmarks and bake-offs.",
        subcommands = {BakeoffCommand.class, BenchEnrolCommand.class, BenchGalleryCommand.class, BenchFailClosedCommand.class, BenchReleaseCommand.class, BenchTraceCommand.class, BenchScreenCommand.class})
final class BenchCommand {
}
