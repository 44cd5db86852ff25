package org.likeness.cli;

import java.io.PrintWriter;
import org.likeness.app.Listener;
import org.likeness.files.TerminalText;
import org.likeness.scan.Progress;

/** A use case's listener on the command line: progress lines and {@code likeness: PATH: REASON} on stderr. */
final class CliListener implements Listener {
    private final PrintWriter err;
    private final boolean progress;

    /** @param progress whether progress lines are drawn (false with --no-progress) */
    CliListener(PrintWriter err, boolean progress) {
        this.err = err;
        this.progress = progress;
    }

    @Override
    public Progress progress(String stage, long total) {
        return new Progress(err, stage, total, progress);
    }

    @Override
    public void problem(String path, String reason) {
        err.println("likeness: " + TerminalText.escape(path) + ": " + reason);
        err.flush();
    }

    @Override
    public void note(String line) {
        err.println(line);
    }
}
