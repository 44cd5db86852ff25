package org.likeness.app;

import java.nio.file.Path;
import java.util.List;

/**
 * One subject to enrol from a bulk-import manifest, as written there: nothing is validated yet, so that a bad value
 * becomes a refusal of this row with its reason rather than a failure of the whole import.
 *
 * @param line     1-based line of the manifest (for CSV, counting the header)
 * @param face     in photos with several faces, the 1-based face to enrol (the CLI's {@code --face}); null when each
 *                 photo must hold exactly one face
 */
public record ImportRow(int line, String id, String name, List<Path> photos, Integer face, List<Consent> consents) {
    public ImportRow {
        photos = List.copyOf(photos);
        consents = List.copyOf(consents);
    }

    /** A consent to record with the subject, in the manifest's words: dates as {@code YYYY-MM-DD} or ISO-8601 instants. */
    public record Consent(String purpose, String from, String until, String basis, Path evidence) {
    }
}
