package org.likeness.audit;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.likeness.registry.ConsentState;

/**
 * The status of one face in an audit: its subject's {@link ConsentState} for the purpose at the time, or
 * {@link #UNKNOWN} when the face matches no registered subject (fail closed: unknown is not consented). Written as its
 * lower-case {@link #word()} in findings.json, findings.csv, the report and {@code redact --keep}.
 */
public enum AuditStatus {
    CONSENTED, NO_CONSENT, REVOKED, EXPIRED, NOT_YET_VALID, ERASED,
    /**
     * The face failed the probe quality gate ({@link org.likeness.face.ProbeGate}): it was not identified, so it is not
     * consented (the audit fails closed), but it is not called a stranger either; its finding carries the reason.
     */
    NOT_ASSESSABLE,
    UNKNOWN;

    /** Every status, in report order. */
    public static final List<AuditStatus> ALL = List.of(values());

    /** The word in files and on the command line: {@code no_consent}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status of a face whose subject's consent is in {@code state}. */
    public static AuditStatus of(ConsentState state) {
        return valueOf(state.name());
    }

    /** The words of every status, in report order. */
    public static List<String> words() {
        return Arrays.stream(values()).map(AuditStatus::word).toList();
    }
}
