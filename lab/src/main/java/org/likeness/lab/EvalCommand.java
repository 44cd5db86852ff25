package org.likeness.lab;

import picocli.CommandLine.Command;

/** {@code likeness eval …}: measurements on labelled data. */
@Command(name = "eval", description = "Measure accuracy on labelled data.",
        subcommands = {EvalPairsCommand.class, CalibrateCommand.class, HashRobustnessCommand.class, EvalClusterCommand.class,
                EvalRedactionCommand.class, EvalFingerprintCommand.class, ImportTfjsCommand.class})
final class EvalCommand {
}
