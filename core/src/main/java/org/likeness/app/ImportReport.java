package org.likeness.app;

import java.util.List;

/** What a bulk import did: rows enrolled (with their consents) and rows refused, each with its reason. */
public record ImportReport(int rows, int imported, int consents, List<Refusal> refused) {
    public ImportReport {
        refused = List.copyOf(refused);
    }

    /** A row left out, whole: nothing of it was written. */
    public record Refusal(int line, String id, String reason) {
    }
}
