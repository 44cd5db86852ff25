package org.likeness.registry;

import java.time.Instant;
import java.util.Objects;

/**
 * Consent of {@code subjectId} for {@code purpose} evaluated at {@code at}. {@code consentId} is the
 * record that decided it, or null when no record applies (NO_CONSENT, ERASED).
 */
public record ConsentStatus(String subjectId, Purpose purpose, Instant at, ConsentState state, Long consentId) {
    public ConsentStatus {
        Objects.requireNonNull(subjectId, "subjectId");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(state, "state");
        if (state == ConsentState.CONSENTED && consentId == null) {
            throw new IllegalArgumentException("CONSENTED needs the deciding consent id");
        }
    }

    public boolean allowed() {
        return state == ConsentState.CONSENTED;
    }
}
