package org.likeness.app;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.likeness.registry.Consent;
import org.likeness.registry.ConsentStatus;

/**
 * A consent receipt: the consent record with the fields of an ISO/IEC TS 27560 consent record that the registry holds,
 * and the log head it was read at. {@code consent receipt} and {@code GET /api/v1/consents/{id}/receipt} print it.
 */
public final class ConsentReceipt {
    public static final String SCHEMA = "likeness-consent-receipt/1 (after ISO/IEC TS 27560:2023)";

    private ConsentReceipt() {
    }

    /** The receipt of record {@code c}, in state {@code s} (evaluated at {@code s.at()}). */
    public static Map<String, Object> of(Consent c, ConsentStatus s, String logHead) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("schema_version", SCHEMA);
        r.put("record_id", "consent-" + c.id());
        r.put("pii_principal_id", c.subjectId());
        r.put("state", s.state().name());
        r.put("state_evaluated_at", s.at().toString());
        Map<String, Object> purposeEntry = new LinkedHashMap<>();
        purposeEntry.put("purpose", c.purpose().word());
        purposeEntry.put("lawful_basis", c.legalBasis());
        purposeEntry.put("pii_categories", List.of("biometric face template (encrypted)"));
        r.put("purposes", List.of(purposeEntry));
        Map<String, Object> validity = new LinkedHashMap<>();
        validity.put("from", c.validFrom().toString());
        validity.put("until", RegistryJson.time(c.validUntil()));
        r.put("validity", validity);
        List<Map<String, Object>> events = new ArrayList<>();
        events.add(event("given", c.recordedAt(), c.recordedBy()));
        if (c.revokedAt() != null) {
            events.add(event("withdrawn", c.revokedAt(), null));
        }
        r.put("events", events);
        r.put("evidence_sha256", c.evidenceSha256());
        r.put("registry_log_head", logHead);
        return r;
    }

    private static Map<String, Object> event(String type, Instant at, String by) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("type", type);
        e.put("time", at.toString());
        if (by != null) {
            e.put("recorded_by", by);
        }
        return e;
    }
}
