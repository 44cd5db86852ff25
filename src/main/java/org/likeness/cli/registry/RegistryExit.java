package org.likeness.cli.registry;

/** Exit codes of the registry commands. */
public final class RegistryExit {
    /** Success; for {@code log verify}, the chain is intact. */
    public static final int OK = 0;
    /** The log does not verify, a record was not found, the master key does not match, or the database failed. */
    public static final int FAILED = 1;
    /** Usage or input error: unknown option, malformed date, unknown purpose, duplicate id, unreadable file. */
    public static final int USAGE = 2;

    private RegistryExit() {
    }
}
