package org.likeness.registry;

import java.time.Instant;
import java.util.Objects;

/** A recorded consent of one subject for one purpose; {@code revokedAt} is set when withdrawn. */
public record Consent(long id, String subjectId, Purpose purpose, Instant validFrom, Instant validUntil,
                      Instant revokedAt, String legalBasis, String evidenceSha256, String recordedBy,
                      Instant recordedAt) {
    public Consent {
        Objects.requireNonNull(subjectId, "subjectId");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(validFrom, "validFrom");
        Objects.requireNonNull(recordedBy, "recordedBy");
        Objects.requireNonNull(recordedAt, "recordedAt");
    }

    /** Whether this record alone allows the purpose at {@code at}. */
    public boolean validAt(Instant at) {
        return !validFrom.isAfter(at)
                && (validUntil == null || at.isBefore(validUntil))
                && (revokedAt == null || at.isBefore(revokedAt));
    }
}
