package org.likeness.registry;

import java.time.Instant;
import java.util.Objects;

/** A request to record a consent. {@code validUntil}, {@code legalBasis}, {@code evidenceSha256} are optional. */
public record ConsentGrant(String subjectId, Purpose purpose, Instant validFrom, Instant validUntil,
                           String legalBasis, String evidenceSha256) {
    public static final int MAX_LEGAL_BASIS = 1024;

    public ConsentGrant {
        InputText.required("subject id", subjectId, Subject.MAX_ID);
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(validFrom, "validFrom");
        if (validUntil != null && !validUntil.isAfter(validFrom)) {
            throw new InvalidInputException("--until " + validUntil + " is not after --from " + validFrom
                    + ": a consent must be valid for some time");
        }
        InputText.optional("legal basis", legalBasis, MAX_LEGAL_BASIS);
        InputText.sha256("evidence sha256", evidenceSha256);
    }
}
