package org.likeness.cli;

/** Exit codes of every command, registry commands included, documented in the README ("Exit codes"). */
public final class ExitCodes {
    /** Everything worked; for {@code log verify}, the chain is intact. */
    public static final int OK = 0;
    /**
     * The command ran but some inputs failed (e.g. files that could not be decoded); the output is still valid. For a
     * registry command: a failed check (the log does not verify, a record was not found, the master key does not
     * match, the database failed).
     */
    public static final int SOME_FAILED = 1;
    /** Usage error, missing models, unreadable input, malformed or duplicate registry input: nothing useful was produced. */
    public static final int ERROR = 2;
    /** A gate said no: e.g. an audit found faces without consent. */
    public static final int NOT_CONSENTED = 3;
    /** The same gate for tracing: some suspect photos are copies of registered collections. */
    public static final int FOUND = 3;
    /** The same gate for a marketplace's screen: the listing is to be reviewed or blocked (0 when allowed). */
    public static final int SCREEN_HELD = 3;

    private ExitCodes() {
    }
}
