package org.likeness.registry;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** Mapping between JDBC columns and the registry's values, identical for H2 and PostgreSQL. */
final class Rows {
    private Rows() {
    }

    /** Times are stored with microsecond precision, PostgreSQL's resolution. */
    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    static void setTime(PreparedStatement ps, int i, Instant t) throws SQLException {
        if (t == null) {
            ps.setNull(i, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setObject(i, OffsetDateTime.ofInstant(t.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC));
        }
    }

    static Instant time(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    static Subject subject(ResultSet rs) throws SQLException {
        return new Subject(rs.getString("id"), rs.getString("display_name"), time(rs, "created_at"),
                time(rs, "erased_at"));
    }

    static Enrolment enrolment(ResultSet rs) throws SQLException {
        return new Enrolment(rs.getLong("id"), rs.getString("subject_id"), rs.getString("model_id"),
                rs.getInt("dimensions"), rs.getDouble("quality"), rs.getString("source_sha256"),
                time(rs, "created_at"));
    }

    static Consent consent(ResultSet rs) throws SQLException {
        return new Consent(rs.getLong("id"), rs.getString("subject_id"), Purpose.parse(rs.getString("purpose")),
                time(rs, "valid_from"), time(rs, "valid_until"), time(rs, "revoked_at"), rs.getString("legal_basis"),
                rs.getString("evidence_sha256"), rs.getString("recorded_by"), time(rs, "recorded_at"));
    }
}
