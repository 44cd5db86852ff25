package org.likeness.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tamper-evident log. Entry {@code n} stores {@code hash(n) = SHA-256(canonical JSON of
 * {action, actor, at, payload, prev: hash(n-1), seq: n})}, with {@code hash(0)} = 64 zeros.
 * Canonical JSON: keys sorted, no whitespace, Jackson's escaping; the payload is embedded as the
 * exact stored string, so any byte changed in any column changes the hash. The {@code log_head}
 * row holds the last seq and hash: it is the append lock and it catches a deleted tail.
 */
final class RegistryLog {
    static final String GENESIS = "0".repeat(64);

    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .build();

    private RegistryLog() {
    }

    /** Appends entries inside the write transaction that holds the head lock. */
    static final class Appender {
        private final Connection c;
        private final String actor;
        private long seq;
        private String hash;
        private boolean appended;

        private Appender(Connection c, String actor, long seq, String hash) {
            this.c = c;
            this.actor = actor;
            this.seq = seq;
            this.hash = hash;
        }

        /** Appends one entry; {@code payload} values are strings, numbers, booleans, null or maps of them. */
        LogEntry append(String action, Map<String, ?> payload) throws SQLException {
            String at = Instant.now().truncatedTo(ChronoUnit.MICROS).toString();
            LogEntry e = entry(seq + 1, at, actor, action, canonical(new TreeMap<>(payload)), hash);
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO log_entry (seq, at_utc, actor, action, payload, prev_hash, hash) VALUES (?,?,?,?,?,?,?)")) {
                ps.setLong(1, e.seq());
                ps.setString(2, e.at());
                ps.setString(3, e.actor());
                ps.setString(4, e.action());
                ps.setString(5, e.payload());
                ps.setString(6, e.prevHash());
                ps.setString(7, e.hash());
                ps.executeUpdate();
            }
            seq = e.seq();
            hash = e.hash();
            appended = true;
            return e;
        }

        boolean appended() {
            return appended;
        }

        long seq() {
            return seq;
        }

        String hash() {
            return hash;
        }

        void finish() throws SQLException {
            if (!appended) {
                return;
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE log_head SET seq = ?, hash = ? WHERE id = 1")) {
                ps.setLong(1, seq);
                ps.setString(2, hash);
                ps.executeUpdate();
            }
        }
    }

    static Appender lockHead(Connection c, String actor) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, hash FROM log_head WHERE id = 1 FOR UPDATE");
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("log_head row is missing: the registry schema was altered", "XX000");
            }
            return new Appender(c, actor, rs.getLong(1), rs.getString(2));
        }
    }

    static LogEntry entry(long seq, String at, String actor, String action, String payload, String prev) {
        return new LogEntry(seq, at, actor, action, payload, prev, hash(seq, at, actor, action, payload, prev));
    }

    static String hash(long seq, String at, String actor, String action, String payload, String prev) {
        Map<String, Object> m = new TreeMap<>();
        m.put("action", action);
        m.put("actor", actor);
        m.put("at", at);
        m.put("payload", payload);
        m.put("prev", prev);
        m.put("seq", seq);
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(canonical(m).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    static String canonical(Object value) {
        try {
            return CANONICAL.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("log payload is not serialisable as JSON", e);
        }
    }

    static List<LogEntry> entries(Connection c, long fromSeq, int limit) throws SQLException {
        List<LogEntry> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, at_utc, actor, action, payload, prev_hash, hash"
                + " FROM log_entry WHERE seq >= ? ORDER BY seq LIMIT ?")) {
            ps.setLong(1, fromSeq);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new LogEntry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7)));
                }
            }
        }
        return out;
    }

    /** Entries with {@code action} before {@code beforeSeq}, newest first. */
    static List<LogEntry> latest(Connection c, String action, long beforeSeq, int limit) throws SQLException {
        List<LogEntry> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, at_utc, actor, action, payload, prev_hash, hash"
                + " FROM log_entry WHERE action = ? AND seq < ? ORDER BY seq DESC LIMIT ?")) {
            ps.setString(1, action);
            ps.setLong(2, beforeSeq);
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new LogEntry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7)));
                }
            }
        }
        return out;
    }

    /** Recomputes the chain, streaming in seq order; stops at the first broken entry. */
    static LogVerification verify(Connection c) throws SQLException {
        long expectedSeq = 1;
        String prev = GENESIS;
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, at_utc, actor, action, payload, prev_hash, hash"
                + " FROM log_entry ORDER BY seq")) {
            ps.setFetchSize(1000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long seq = rs.getLong(1);
                    if (seq != expectedSeq) {
                        return LogVerification.broken(expectedSeq - 1, expectedSeq,
                                "entry " + expectedSeq + " is missing (next stored entry is " + seq + ")");
                    }
                    String storedPrev = rs.getString(6);
                    String stored = rs.getString(7);
                    if (!prev.equals(storedPrev)) {
                        return LogVerification.broken(seq - 1, seq, "entry " + seq
                                + " does not link to the hash of entry " + (seq - 1) + " (reordered or replaced)");
                    }
                    String recomputed = hash(seq, rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), storedPrev);
                    if (!recomputed.equals(stored)) {
                        return LogVerification.broken(seq - 1, seq, "entry " + seq
                                + " was altered: its content does not match its hash");
                    }
                    prev = stored;
                    expectedSeq++;
                }
            }
        }
        long count = expectedSeq - 1;
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, hash FROM log_head WHERE id = 1");
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return LogVerification.broken(count, count + 1, "the log head row is missing");
            }
            long headSeq = rs.getLong(1);
            if (headSeq != count || !rs.getString(2).equals(prev)) {
                return LogVerification.broken(count, headSeq != count ? Math.min(headSeq, count) + 1 : count,
                        "the log head records entry "
                        + headSeq + " but the chain ends at entry " + count + " (entries deleted or added at the end)");
            }
        }
        return LogVerification.ok(count, prev);
    }

    static String head(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT hash FROM log_head WHERE id = 1");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getString(1) : GENESIS;
        }
    }
}
