package org.likeness.registry;

import org.likeness.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Replays the hash-chained log and compares the rows the registry acts on with what the log says: every subject
 * (exists, erased), subject key (present exactly while the subject is not erased), enrolment (subject, model, photo
 * hash; gone after erasure), consent (every field) and collection (exists, has its key). A row edited, inserted or
 * deleted behind the log's back is a {@link RowMismatch}. See docs/REGISTRY.md, "Rows verified against the log".
 */
final class StateCheck {
    private static final ObjectMapper JSON = Json.MAPPER;
    /** RowMismatches kept in full; beyond this only counted (a wholesale edit would otherwise flood the output). */
    static final int MAX_REPORTED = 1000;

    private record LoggedConsent(String subject, String purpose, Instant validFrom, Instant validUntil, Instant revokedAt,
                                 String legalBasis, String evidence, String recordedBy) {
    }

    private record LoggedEnrolment(String subject, String model, String source) {
    }

    private StateCheck() {
    }

    static List<RowMismatch> check(Connection c) throws SQLException {
        Map<String, Boolean> subjects = new TreeMap<>(); // id -> erased
        Map<Long, LoggedEnrolment> enrolments = new TreeMap<>();
        Map<Long, LoggedConsent> consents = new TreeMap<>();
        Set<String> collections = new HashSet<>();
        // tenants and powers (schema 3): values as the rows' columns hold them, keyed by the row's id
        Map<String, List<String>> subjectOrgs = new TreeMap<>();
        Map<String, List<String>> collectionOrgs = new TreeMap<>();
        Map<String, List<String>> accounts = new TreeMap<>();
        Map<String, List<String>> apiKeys = new TreeMap<>();
        Map<String, List<String>> allowedPaths = new TreeMap<>();
        List<RowMismatch> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT action, actor, payload, seq FROM log_entry ORDER BY seq")) {
            ps.setFetchSize(1000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String action = rs.getString(1);
                    String actor = rs.getString(2);
                    try {
                    JsonNode p = parse(rs.getString(3));
                    switch (action) {
                        case "subject.add" -> {
                            subjects.put(text(p, "subject"), false);
                            subjectOrgs.put(text(p, "subject"), List.of(orgOf(p)));
                        }
                        case "subject.erase" -> {
                            String s = text(p, "subject");
                            subjects.put(s, true);
                            enrolments.values().removeIf(e -> e.subject().equals(s));
                        }
                        case "enrolment.add" -> enrolments.put(p.path("enrolment").asLong(),
                                new LoggedEnrolment(text(p, "subject"), text(p, "model"), text(p, "source_sha256")));
                        case "consent.grant" -> consents.put(p.path("consent").asLong(), new LoggedConsent(text(p, "subject"),
                                text(p, "purpose"), time(text(p, "valid_from")), time(text(p, "valid_until")), null,
                                text(p, "legal_basis"), text(p, "evidence_sha256"), actor));
                        case "consent.revoke" -> {
                            long id = p.path("consent").asLong();
                            LoggedConsent k = consents.get(id);
                            if (k != null) {
                                consents.put(id, new LoggedConsent(k.subject(), k.purpose(), k.validFrom(), k.validUntil(),
                                        time(text(p, "revoked_at")), k.legalBasis(), k.evidence(), k.recordedBy()));
                            }
                        }
                        case "collection.add" -> {
                            collections.add(text(p, "collection"));
                            collectionOrgs.put(text(p, "collection"), List.of(orgOf(p)));
                        }
                        case "collection.remove" -> {
                            collections.remove(text(p, "collection"));
                            collectionOrgs.remove(text(p, "collection"));
                        }
                        case "account.add" -> accounts.put(text(p, "account"), java.util.Arrays.asList(text(p, "organisation"),
                                text(p, "role"), text(p, "subject")));
                        case "key.issue" -> apiKeys.put(text(p, "key"), List.of(text(p, "account"), text(p, "role"), "active"));
                        case "key.revoke" -> apiKeys.computeIfPresent(text(p, "key"), (k, v) -> List.of(v.get(0), v.get(1), "revoked"));
                        case "allowed_path.add" -> allowedPaths.put(text(p, "allowed_path"), List.of(text(p, "organisation"),
                                text(p, "path")));
                        case "allowed_path.remove" -> allowedPaths.remove(text(p, "allowed_path"));
                        default -> {
                            // other actions change no row verified here
                        }
                    }
                    } catch (RuntimeException | SQLException unreadable) {
                        add(out, new RowMismatch("log_entry", Long.toString(rs.getLong(4)), "payload", "unreadable ("
                                + unreadable.getMessage() + ")", "a valid " + action + " payload"));
                    }
                }
            }
        }
        checkSubjects(c, subjects, out);
        checkKeys(c, subjects, out);
        checkEnrolments(c, enrolments, out);
        checkConsents(c, consents, out);
        checkCollections(c, collections, out);
        {
            checkRows(c, "subject", "SELECT id, organisation_id FROM subject", subjectOrgs, new String[] {"organisation_id"},
                    null, out);
            checkRows(c, "collection", "SELECT name, organisation_id FROM collection", collectionOrgs,
                    new String[] {"organisation_id"}, null, out);
            checkRows(c, "account", "SELECT id, organisation_id, role, subject_id FROM account", accounts,
                    new String[] {"organisation_id", "role", "subject_id"}, "account.add", out);
            checkRows(c, "api_key", "SELECT id, account_id, role, CASE WHEN revoked_at IS NULL THEN 'active' ELSE 'revoked' END"
                    + " FROM api_key", apiKeys, new String[] {"account_id", "role", "revoked_at"}, "key.issue", out);
            checkRows(c, "allowed_path", "SELECT id, organisation_id, path FROM allowed_path", allowedPaths,
                    new String[] {"organisation_id", "path"}, "allowed_path.add", out);
        }
        return out;
    }

    /** The organisation a subject.add or collection.add entry names; absent in entries written before tenants. */
    private static String orgOf(JsonNode p) {
        String org = text(p, "organisation");
        return org == null ? Organisations.DEFAULT : org;
    }

    /**
     * Compares rows (first column the id, then {@code fields}) with the values the log gave them. {@code addAction}
     * null: the rows' presence is checked elsewhere, only the fields of logged rows are compared.
     */
    private static void checkRows(Connection c, String table, String sql, Map<String, List<String>> logged, String[] fields,
                                  String addAction, List<RowMismatch> out) throws SQLException {
        Set<String> seen = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String id = rs.getString(1);
                seen.add(id);
                List<String> l = logged.get(id);
                if (l == null) {
                    if (addAction != null) {
                        add(out, new RowMismatch(table, id, "row", "present", "no " + addAction + " entry (or removed)"));
                    }
                    continue;
                }
                for (int i = 0; i < fields.length; i++) {
                    field(out, table, id, fields[i], rs.getString(i + 2), l.get(i));
                }
            }
        }
        if (addAction != null) {
            logged.keySet().stream().filter(id -> !seen.contains(id)).forEach(id ->
                    add(out, new RowMismatch(table, id, "row", "missing", "added (" + addAction + ")")));
        }
    }

    private static void checkSubjects(Connection c, Map<String, Boolean> logged, List<RowMismatch> out) throws SQLException {
        Set<String> seen = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, erased_at FROM subject");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String id = rs.getString(1);
                boolean erased = rs.getObject(2) != null;
                seen.add(id);
                Boolean l = logged.get(id);
                if (l == null) {
                    add(out, new RowMismatch("subject", id, "row", "present", "no subject.add entry"));
                } else if (l != erased) {
                    add(out, new RowMismatch("subject", id, "erased_at", erased ? "set" : "NULL",
                            l ? "erased (subject.erase)" : "not erased"));
                }
            }
        }
        for (String id : logged.keySet()) {
            if (!seen.contains(id)) {
                add(out, new RowMismatch("subject", id, "row", "missing", "added (subject.add)"));
            }
        }
    }

    /**
     * Every data key a subject_key row refers to must have its live slot in the key store: a deleted, emptied or
     * replaced key store destroys every template (the audit then stops at the first one), and `log verify` must not
     * call such a registry intact. Keys still stored in the row (before the key-store migration) need no slot.
     */
    static List<RowMismatch> checkKeyStore(Connection c, KeyStore keys) throws SQLException {
        List<RowMismatch> out = new ArrayList<>();
        java.util.Map<String, byte[]> live;
        try {
            live = keys.all();
        } catch (StorageException e) {
            out.add(new RowMismatch("subject_key", "*", "key store slot", e.getMessage(), "a Likeness key store"));
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT subject_id, wrapped_key FROM subject_key ORDER BY subject_id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                byte[] ref = rs.getBytes(2);
                if (KeyStore.isRef(ref) && !live.containsKey(java.util.HexFormat.of().formatHex(ref, 1, 33))) {
                    out.add(new RowMismatch("subject_key", rs.getString(1), "key store slot",
                            "missing from " + keys.file(), "live (subject not erased)"));
                }
            }
        }
        live.values().forEach(w -> java.util.Arrays.fill(w, (byte) 0));
        return out;
    }

    private static void checkKeys(Connection c, Map<String, Boolean> logged, List<RowMismatch> out) throws SQLException {
        Set<String> withKey = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT subject_id FROM subject_key");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                withKey.add(rs.getString(1));
            }
        }
        for (String id : withKey) {
            Boolean erased = logged.get(id);
            if (erased == null || erased) {
                add(out, new RowMismatch("subject_key", id, "row", "present",
                        erased == null ? "no subject.add entry" : "destroyed (subject.erase)"));
            }
        }
        logged.forEach((id, erased) -> {
            if (!erased && !withKey.contains(id)) {
                add(out, new RowMismatch("subject_key", id, "row", "missing", "present (subject not erased)"));
            }
        });
    }

    private static void checkEnrolments(Connection c, Map<Long, LoggedEnrolment> logged, List<RowMismatch> out) throws SQLException {
        Set<Long> seen = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, subject_id, model_id, source_sha256 FROM enrolment");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long id = rs.getLong(1);
                seen.add(id);
                LoggedEnrolment l = logged.get(id);
                String key = Long.toString(id);
                if (l == null) {
                    add(out, new RowMismatch("enrolment", key, "row", "present", "no enrolment.add entry (or erased)"));
                    continue;
                }
                field(out, "enrolment", key, "subject_id", rs.getString(2), l.subject());
                field(out, "enrolment", key, "model_id", rs.getString(3), l.model());
                field(out, "enrolment", key, "source_sha256", rs.getString(4), l.source());
            }
        }
        logged.keySet().stream().filter(id -> !seen.contains(id)).forEach(id ->
                add(out, new RowMismatch("enrolment", Long.toString(id), "row", "missing", "added (enrolment.add)")));
    }

    private static void checkConsents(Connection c, Map<Long, LoggedConsent> logged, List<RowMismatch> out) throws SQLException {
        Set<Long> seen = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM consent");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Consent k = Rows.consent(rs);
                seen.add(k.id());
                LoggedConsent l = logged.get(k.id());
                String key = Long.toString(k.id());
                if (l == null) {
                    add(out, new RowMismatch("consent", key, "row", "present", "no consent.grant entry"));
                    continue;
                }
                field(out, "consent", key, "subject_id", k.subjectId(), l.subject());
                field(out, "consent", key, "purpose", k.purpose().word(), l.purpose());
                field(out, "consent", key, "valid_from", str(k.validFrom()), str(l.validFrom()));
                field(out, "consent", key, "valid_until", str(k.validUntil()), str(l.validUntil()));
                field(out, "consent", key, "revoked_at", str(k.revokedAt()), str(l.revokedAt()));
                field(out, "consent", key, "legal_basis", k.legalBasis(), l.legalBasis());
                field(out, "consent", key, "evidence_sha256", k.evidenceSha256(), l.evidence());
                field(out, "consent", key, "recorded_by", k.recordedBy(), l.recordedBy());
            }
        }
        logged.keySet().stream().filter(id -> !seen.contains(id)).forEach(id ->
                add(out, new RowMismatch("consent", Long.toString(id), "row", "missing", "granted (consent.grant)")));
    }

    private static void checkCollections(Connection c, Set<String> logged, List<RowMismatch> out) throws SQLException {
        Set<String> seen = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT name, wrapped_key FROM collection");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String name = rs.getString(1);
                seen.add(name);
                if (!logged.contains(name)) {
                    add(out, new RowMismatch("collection", name, "row", "present", "no collection.add entry (or removed)"));
                } else if (rs.getBytes(2) == null) {
                    add(out, new RowMismatch("collection", name, "wrapped_key", "NULL", "created with its key"));
                }
            }
        }
        logged.stream().filter(n -> !seen.contains(n)).sorted().forEach(n ->
                add(out, new RowMismatch("collection", n, "row", "missing", "added (collection.add)")));
    }

    private static void field(List<RowMismatch> out, String table, String id, String field, String row, String logged) {
        if (!Objects.equals(row, logged)) {
            add(out, new RowMismatch(table, id, field, row == null ? "NULL" : row, logged == null ? "NULL" : logged));
        }
    }

    private static void add(List<RowMismatch> out, RowMismatch m) {
        if (out.size() < MAX_REPORTED) {
            out.add(m);
        }
    }

    private static String str(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.MICROS).toString();
    }

    private static Instant time(String s) {
        return s == null ? null : Instant.parse(s).truncatedTo(ChronoUnit.MICROS);
    }

    private static String text(JsonNode p, String field) {
        JsonNode v = p.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static JsonNode parse(String payload) throws SQLException {
        try {
            return JSON.readTree(payload);
        } catch (java.io.IOException e) {
            throw new SQLException("log payload is not JSON: " + e.getMessage(), "XX000");
        }
    }

    /** A short summary for a refusal message. */
    static String summary(List<RowMismatch> mismatches) {
        Map<String, Integer> perTable = new LinkedHashMap<>();
        mismatches.forEach(m -> perTable.merge(m.table(), 1, Integer::sum));
        return mismatches.size() + (mismatches.size() >= MAX_REPORTED ? "+" : "") + " row(s) differ from the log ("
                + perTable.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).reduce((a, b) -> a + ", " + b).orElse("")
                + "), first: " + mismatches.get(0);
    }
}
