package org.likeness.scan;

import java.util.List;
import java.util.Locale;

/**
 * Totals of one scan run.
 *
 * @param images   files processed in this run (failed ones included)
 * @param faces    faces found
 * @param failures files that could not be read or decoded
 * @param skipped  files skipped because a previous run already scanned them (--resume)
 * @param seconds  wall time
 * @param firstFailures up to {@link ScanRunner#KEPT_FAILURES} "path: reason" lines
 */
public record ScanSummary(long images, long faces, long failures, long skipped, double seconds, List<String> firstFailures) {
    public double imagesPerSecond() {
        return seconds > 0 ? images / seconds : 0;
    }

    /** The one-line summary every scan ends with. */
    public String line() {
        return String.format(Locale.ROOT, "scanned %d images, %d faces, %d failures%s in %.1f s (%.1f images/s)",
                images, faces, failures, skipped > 0 ? ", " + skipped + " skipped (already in output)" : "", seconds, imagesPerSecond());
    }
}
