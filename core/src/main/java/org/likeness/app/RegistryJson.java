package org.likeness.app;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.likeness.registry.Consent;
import org.likeness.registry.ConsentStatus;
import org.likeness.registry.Enrolment;
import org.likeness.registry.Subject;

/**
 * The JSON shape of each registry value (snake_case keys, ISO-8601 UTC times): the command line's --json and the HTTP
 * service print the same.
 */
public final class RegistryJson {
    private RegistryJson() {
    }

    public static String time(Instant t) {
        return t == null ? null : t.toString();
    }

    public static Map<String, Object> subject(Subject s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("display_name", s.displayName());
        m.put("created_at", time(s.createdAt()));
        m.put("erased_at", time(s.erasedAt()));
        return m;
    }

    public static Map<String, Object> collection(org.likeness.registry.CollectionInfo c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.name());
        m.put("owner", c.owner());
        m.put("location", c.location());
        m.put("model", c.modelId());
        m.put("created_at", String.valueOf(c.createdAt()));
        m.put("scanned_at", String.valueOf(c.scannedAt()));
        m.put("images", c.images());
        m.put("faces", c.faces());
        return m;
    }

    public static Map<String, Object> enrolment(Enrolment e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("model_id", e.modelId());
        m.put("dimensions", e.dimensions());
        m.put("quality", e.quality());
        m.put("source_sha256", e.sourceSha256());
        m.put("created_at", time(e.createdAt()));
        return m;
    }

    public static Map<String, Object> consent(Consent c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("subject", c.subjectId());
        m.put("purpose", c.purpose().word());
        m.put("valid_from", time(c.validFrom()));
        m.put("valid_until", time(c.validUntil()));
        m.put("revoked_at", time(c.revokedAt()));
        m.put("legal_basis", c.legalBasis());
        m.put("evidence_sha256", c.evidenceSha256());
        m.put("recorded_by", c.recordedBy());
        m.put("recorded_at", time(c.recordedAt()));
        return m;
    }

    public static Map<String, Object> status(ConsentStatus s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("subject", s.subjectId());
        m.put("purpose", s.purpose().word());
        m.put("at", time(s.at()));
        m.put("state", s.state().name());
        m.put("consent", s.consentId());
        return m;
    }

    public static String consentLine(Consent c) {
        return String.format("%-6d %-14s from %s until %s%s  basis: %s  recorded by %s", c.id(), c.purpose().word(),
                time(c.validFrom()), c.validUntil() == null ? "-" : time(c.validUntil()),
                c.revokedAt() == null ? "" : "  REVOKED " + time(c.revokedAt()),
                c.legalBasis() == null ? "-" : org.likeness.registry.InputText.printable(c.legalBasis()),
                org.likeness.registry.InputText.printable(c.recordedBy()));
    }
}
