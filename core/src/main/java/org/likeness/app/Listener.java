package org.likeness.app;

import org.likeness.scan.Progress;

/**
 * What a use case tells its caller while it runs: progress per stage, and one problem per file that could not be used
 * (the run goes on). The command line prints problems as {@code likeness: PATH: REASON}; a job stores them and sends
 * progress as events. Every method may be called from the use case's thread only, never from a worker.
 */
public interface Listener {
    /** A progress counter for a stage ("scan", "release", "trace", "redact") with {@code total} steps, or -1 when unknown. */
    default Progress progress(String stage, long total) {
        return Progress.none();
    }

    /** A file (or a scan line, or an archive entry) that could not be used, and why. */
    default void problem(String path, String reason) {
    }

    /** A line for a person (timings, where something was written); never a result. */
    default void note(String line) {
    }

    /** Hears nothing. */
    Listener NONE = new Listener() {
    };
}
