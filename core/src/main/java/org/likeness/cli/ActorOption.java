package org.likeness.cli;

import picocli.CommandLine.Option;

/** {@code --actor NAME}: who makes a change, recorded in the registry's log. */
public final class ActorOption {
    @Option(names = "--actor", paramLabel = "NAME", description = "Who makes the change, recorded in the log"
            + " and as recorded-by. Default: the operating-system user.")
    String actor;

    public String actor() {
        return actor != null ? actor : System.getProperty("user.name", "unknown");
    }
}
