package org.likeness.registry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** SQL for the consent table; every change runs inside a {@link Database#write} transaction. */
final class ConsentRecords {
    private ConsentRecords() {
    }

    static Consent grant(Connection c, RegistryLog.Appender log, ConsentGrant g, String actor) throws SQLException {
        Registry.requireLive(c, g.subjectId());
        Instant now = Rows.now();
        long id;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO consent (subject_id, purpose, valid_from,"
                + " valid_until, legal_basis, evidence_sha256, recorded_by, recorded_at) VALUES (?,?,?,?,?,?,?,?)",
                new String[] {"id"})) {
            ps.setString(1, g.subjectId());
            ps.setString(2, g.purpose().word());
            Rows.setTime(ps, 3, g.validFrom());
            Rows.setTime(ps, 4, g.validUntil());
            ps.setString(5, g.legalBasis());
            ps.setString(6, g.evidenceSha256());
            ps.setString(7, actor);
            Rows.setTime(ps, 8, now);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                id = keys.getLong(1);
            }
        }
        Consent consent = new Consent(id, g.subjectId(), g.purpose(), g.validFrom(), g.validUntil(), null,
                g.legalBasis(), g.evidenceSha256(), actor, now);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("consent", id);
        payload.put("subject", g.subjectId());
        payload.put("purpose", g.purpose().word());
        payload.put("valid_from", g.validFrom().toString());
        payload.put("valid_until", g.validUntil() == null ? null : g.validUntil().toString());
        payload.put("legal_basis", g.legalBasis());
        payload.put("evidence_sha256", g.evidenceSha256());
        log.append("consent.grant", payload);
        return consent;
    }

    static List<Consent> revoke(Connection c, RegistryLog.Appender log, String subjectId, Purpose purpose)
            throws SQLException {
        Registry.requireSubject(c, subjectId);
        Instant now = Rows.now();
        List<Consent> active = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM consent WHERE subject_id = ? AND purpose = ?"
                + " AND revoked_at IS NULL ORDER BY id")) {
            ps.setString(1, subjectId);
            ps.setString(2, purpose.word());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Consent k = Rows.consent(rs);
                    if (k.validUntil() == null || now.isBefore(k.validUntil())) {
                        active.add(k);
                    }
                }
            }
        }
        if (active.isEmpty()) {
            throw new NotFoundException("subject '" + subjectId + "' has no active consent for purpose "
                    + purpose.word() + " to revoke");
        }
        List<Consent> out = new ArrayList<>();
        for (Consent k : active) {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE consent SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")) {
                Rows.setTime(ps, 1, now);
                ps.setLong(2, k.id());
                ps.executeUpdate();
            }
            log.append("consent.revoke", Map.of("consent", k.id(), "subject", subjectId,
                    "purpose", purpose.word(), "revoked_at", now.toString()));
            out.add(new Consent(k.id(), k.subjectId(), k.purpose(), k.validFrom(), k.validUntil(), now,
                    k.legalBasis(), k.evidenceSha256(), k.recordedBy(), k.recordedAt()));
        }
        return out;
    }

    static Consent find(Connection c, long consentId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM consent WHERE id = ?")) {
            ps.setLong(1, consentId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new NotFoundException("consent " + consentId + " does not exist");
                }
                return Rows.consent(rs);
            }
        }
    }

    static List<Consent> list(Connection c, String subjectId) throws SQLException {
        List<Consent> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM consent WHERE subject_id = ? ORDER BY id")) {
            ps.setString(1, subjectId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(Rows.consent(rs));
                }
            }
        }
        return out;
    }
}
