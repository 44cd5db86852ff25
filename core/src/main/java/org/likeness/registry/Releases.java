package org.likeness.registry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/** The SQL of fingerprint keys and releases. */
final class Releases {
    /** Recipient names are part of every mark and typed on command lines. */
    private static final Pattern RECIPIENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,127}");

    private Releases() {
    }

    static String checkRecipient(String recipient) {
        InputText.required("recipient", recipient, 128);
        if (!RECIPIENT.matcher(recipient).matches()) {
            throw new InvalidInputException("recipient '" + InputText.abbreviate(recipient)
                    + "' may only hold letters, digits, '.', '_', '@' and '-' (and starts with a letter or digit)");
        }
        return recipient;
    }

    /** The registry's fingerprint key: the existing one, else the one {@code create} makes, stored wrapped and logged. */
    static ReleaseKey key(Connection c, RegistryLog.Appender log, TemplateCipher cipher, Supplier<ReleaseKey> create) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, wrapped_key FROM fingerprint_key ORDER BY created_at FETCH FIRST 1 ROWS ONLY");
             ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
                String id = rs.getString(1);
                return new ReleaseKey(id, cipher.unwrapFingerprintKey(rs.getBytes(2), id));
            }
        }
        ReleaseKey k = create.get();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO fingerprint_key (id, wrapped_key, created_at) VALUES (?,?,?)")) {
            ps.setString(1, k.id());
            ps.setBytes(2, cipher.wrapFingerprintKey(k.secret(), k.id()));
            Rows.setTime(ps, 3, Rows.now());
            ps.executeUpdate();
        }
        log.append("fingerprint.key", Map.of("key", k.id()));
        return k;
    }

    static ReleaseKey keyById(Connection c, TemplateCipher cipher, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT wrapped_key FROM fingerprint_key WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new NotFoundException("fingerprint key " + id + " is not in this registry");
                }
                return new ReleaseKey(id, cipher.unwrapFingerprintKey(rs.getBytes(1), id));
            }
        }
    }

    /** Records (or, for the same recipient again, updates) a release and logs it. */
    static Release record(Connection c, RegistryLog.Appender log, String collection, String recipient, String keyId, int images)
            throws SQLException {
        checkRecipient(recipient);
        CollectionInfo info = CollectionRecords.require(c, collection);
        java.time.Instant now = Rows.now();
        int updated;
        try (PreparedStatement ps = c.prepareStatement("UPDATE release_record SET key_id = ?, images = ?, released_at = ?"
                + " WHERE collection_id = ? AND recipient = ?")) {
            ps.setString(1, keyId);
            ps.setInt(2, images);
            Rows.setTime(ps, 3, now);
            ps.setLong(4, info.id());
            ps.setString(5, recipient);
            updated = ps.executeUpdate();
        }
        if (updated == 0) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO release_record (collection_id, recipient, key_id, images, released_at)"
                    + " VALUES (?,?,?,?,?)")) {
                ps.setLong(1, info.id());
                ps.setString(2, recipient);
                ps.setString(3, keyId);
                ps.setInt(4, images);
                Rows.setTime(ps, 5, now);
                ps.executeUpdate();
            }
        }
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("collection", collection);
        payload.put("recipient", recipient);
        payload.put("key", keyId);
        payload.put("images", images);
        payload.put("again", updated > 0);
        log.append("collection.release", payload);
        return new Release(collection, recipient, keyId, images, now);
    }

    /** Releases of one collection (or of all when null), by collection then recipient. */
    static List<Release> list(Connection c, String collection) throws SQLException {
        List<Release> out = new ArrayList<>();
        String sql = "SELECT c.name, r.recipient, r.key_id, r.images, r.released_at FROM release_record r JOIN collection c ON c.id = r.collection_id"
                + (collection == null ? "" : " WHERE c.name = ?") + " ORDER BY c.name, r.recipient";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (collection != null) {
                ps.setString(1, collection);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Release(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), Rows.time(rs, "released_at")));
                }
            }
        }
        return out;
    }
}
