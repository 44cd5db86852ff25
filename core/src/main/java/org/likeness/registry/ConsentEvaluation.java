package org.likeness.registry;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The rule that turns a subject's consent records into a {@link ConsentStatus}:
 * <ol>
 *   <li>an erased subject is ERASED, whatever its records say;</li>
 *   <li>if any record is valid at {@code at}, CONSENTED by the valid record that started last;</li>
 *   <li>else among records already started, the one that started last decides: REVOKED if it was
 *       withdrawn at or before {@code at}, otherwise EXPIRED;</li>
 *   <li>else if a record starts later, NOT_YET_VALID by the one that starts first;</li>
 *   <li>else NO_CONSENT.</li>
 * </ol>
 */
final class ConsentEvaluation {
    private ConsentEvaluation() {
    }

    static ConsentStatus evaluate(Subject subject, Purpose purpose, Instant at, List<Consent> records) {
        if (subject.erased() && !at.isBefore(subject.erasedAt())) {
            return new ConsentStatus(subject.id(), purpose, at, ConsentState.ERASED, null);
        }
        List<Consent> forPurpose = records.stream().filter(c -> c.purpose() == purpose).toList();
        Comparator<Consent> byStart = Comparator.comparing(Consent::validFrom).thenComparingLong(Consent::id);
        Optional<Consent> valid = forPurpose.stream().filter(c -> c.validAt(at)).max(byStart);
        if (valid.isPresent()) {
            return status(subject, purpose, at, ConsentState.CONSENTED, valid.get());
        }
        Optional<Consent> started = forPurpose.stream().filter(c -> !c.validFrom().isAfter(at)).max(byStart);
        if (started.isPresent()) {
            Consent c = started.get();
            boolean revoked = c.revokedAt() != null && !c.revokedAt().isAfter(at);
            return status(subject, purpose, at, revoked ? ConsentState.REVOKED : ConsentState.EXPIRED, c);
        }
        Optional<Consent> future = forPurpose.stream().min(byStart);
        if (future.isPresent()) {
            return status(subject, purpose, at, ConsentState.NOT_YET_VALID, future.get());
        }
        return new ConsentStatus(subject.id(), purpose, at, ConsentState.NO_CONSENT, null);
    }

    private static ConsentStatus status(Subject s, Purpose p, Instant at, ConsentState state, Consent c) {
        return new ConsentStatus(s.id(), p, at, state, c.id());
    }
}
