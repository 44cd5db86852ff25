package org.likeness.scan;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * A progress line on stderr with count, rate and ETA: redrawn in place on a terminal, one line every
 * {@link #PLAIN_INTERVAL_NANOS} otherwise (logs, CI).
 */
public final class Progress {
    static final long TTY_INTERVAL_NANOS = 200_000_000L;
    static final long PLAIN_INTERVAL_NANOS = 10_000_000_000L;

    /** Told of every step and of the end: how a job reports progress (it must be cheap; it runs on the caller's thread). */
    public interface Observer {
        void at(String label, long done, long total, boolean finished);
    }

    private final PrintWriter err;
    private final Observer observer;
    private final String label;
    private final long total;
    private final boolean tty;
    private final long start = System.nanoTime();
    private long last;
    private long done;

    /** @param total expected count, or -1 when unknown */
    public Progress(PrintStream err, String label, long total, boolean enabled) {
        this(new PrintWriter(err, true), label, total, enabled);
    }

    /** @param total expected count, or -1 when unknown */
    public Progress(PrintWriter err, String label, long total, boolean enabled) {
        this(enabled ? err : null, null, label, total);
    }

    /** @param total expected count, or -1 when unknown; nothing is printed, {@code observer} hears every step */
    public Progress(String label, long total, Observer observer) {
        this(null, observer, label, total);
    }

    private Progress(PrintWriter err, Observer observer, String label, long total) {
        this.err = err;
        this.observer = observer;
        this.label = label;
        this.total = total;
        this.tty = System.console() != null;
    }

    public static Progress none() {
        return new Progress(System.err, "", -1, false);
    }

    public void step() {
        done++;
        if (observer != null) {
            observer.at(label, done, total, false);
        }
        if (err == null) {
            return;
        }
        long now = System.nanoTime();
        if (now - last >= (tty ? TTY_INTERVAL_NANOS : PLAIN_INTERVAL_NANOS)) {
            last = now;
            draw(now, false);
        }
    }

    public void finish() {
        if (observer != null) {
            observer.at(label, done, total, true);
        }
        if (err != null && done > 0) {
            draw(System.nanoTime(), true);
        }
    }

    private void draw(long now, boolean end) {
        double s = (now - start) / 1e9;
        double rate = s > 0 ? done / s : 0;
        String eta = total > 0 && rate > 0 && !end ? String.format(Locale.ROOT, " ETA %s", clock((total - done) / rate)) : "";
        String of = total > 0 ? String.format(Locale.ROOT, "/%d (%.0f%%)", total, 100.0 * done / total) : "";
        String line = String.format(Locale.ROOT, "%s %d%s  %.1f/s  %s%s", label, done, of, rate, clock(s), eta);
        if (tty) {
            err.print("\r" + line + (end ? "\n" : ""));
        } else {
            err.println(line);
        }
        err.flush();
    }

    private static String clock(double seconds) {
        long t = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d:%02d", t / 3600, (t / 60) % 60, t % 60);
    }
}
