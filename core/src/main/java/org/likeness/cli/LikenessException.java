package org.likeness.cli;

import java.nio.file.Path;

/**
 * A failure the user should read: printed by {@link Failures} as one line, {@code likeness: [PATH: ]REASON}, and ended
 * with its exit code (see {@link ExitCodes}); never with a stack trace unless {@code --debug} was given.
 */
public class LikenessException extends RuntimeException {
    private final int exitCode;
    private final String path;

    /** A failure about no particular file. */
    public LikenessException(int exitCode, String reason) {
        this(exitCode, null, reason, null);
    }

    /** A failure about {@code path} (a file, an archive entry, a scan line). */
    public LikenessException(int exitCode, Path path, String reason) {
        this(exitCode, path == null ? null : path.toString(), reason, null);
    }

    public LikenessException(int exitCode, String path, String reason, Throwable cause) {
        super(path == null ? reason : path + ": " + reason, cause);
        this.exitCode = exitCode;
        this.path = path;
    }

    public int exitCode() {
        return exitCode;
    }

    /** The file the failure is about, or {@code null}. */
    public String path() {
        return path;
    }
}
