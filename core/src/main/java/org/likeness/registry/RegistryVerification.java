package org.likeness.registry;

import java.util.List;

/**
 * What {@code log verify} found: the hash chain, the log head file outside the database ({@code anchorProblem} null
 * when the database holds the entry it records) and the rows that differ from the log's replay.
 */
public record RegistryVerification(LogVerification chain, String anchorProblem, List<RowMismatch> rows, String headFile) {
    public RegistryVerification {
        rows = List.copyOf(rows);
    }

    public boolean intact() {
        return chain.intact() && anchorProblem == null && rows.isEmpty();
    }

    /** The first problem, in one line; null when intact. */
    public String problem() {
        if (!chain.intact()) {
            return "log broken at entry " + chain.firstBrokenSeq() + ": " + chain.reason();
        }
        if (anchorProblem != null) {
            return anchorProblem;
        }
        return rows.isEmpty() ? null : StateCheck.summary(rows);
    }
}
