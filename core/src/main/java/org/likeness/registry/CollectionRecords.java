package org.likeness.registry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** The SQL of registered collections; every change is made inside a {@link Database#write} with its log entry. */
final class CollectionRecords {
    /** Collection names are typed on command lines and appear in file names: letters, digits, '.', '_' and '-'. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    static final int MAX_OWNER = 256;

    private CollectionRecords() {
    }

    /**
     * The data key of a subject, or null when it has none (erased). An identified face's template is encrypted under
     * its subject's key, so that erasing the subject destroys it with the key; unidentified faces use the collection key.
     */
    interface SubjectKeys {
        byte[] key(String subjectId);
    }

    static String checkName(String name) {
        InputText.required("collection name", name, 128);
        if (!NAME.matcher(name).matches()) {
            throw new InvalidInputException("collection name '" + InputText.abbreviate(name)
                    + "' may only hold letters, digits, '.', '_' and '-' (and starts with a letter or digit)");
        }
        return name;
    }

    static CollectionInfo find(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT_INFO + " WHERE c.name = ? GROUP BY c.id, c.name, c.owner,"
                + " c.scan_location, c.model_id, c.created_at, c.scanned_at")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? info(rs) : null;
            }
        }
    }

    static CollectionInfo require(Connection c, String name) throws SQLException {
        CollectionInfo info = find(c, name);
        if (info == null) {
            throw new NotFoundException("collection '" + name + "' is not registered (see `likeness collection list`)");
        }
        return info;
    }

    private static final String SELECT_INFO = "SELECT c.id, c.name, c.owner, c.scan_location, c.model_id, c.created_at,"
            + " c.scanned_at, (SELECT COUNT(*) FROM collection_image i WHERE i.collection_id = c.id) AS images,"
            + " (SELECT COUNT(*) FROM collection_face f JOIN collection_image i ON i.id = f.image_id WHERE i.collection_id = c.id) AS faces"
            + " FROM collection c";

    static List<CollectionInfo> list(Connection c) throws SQLException {
        List<CollectionInfo> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(SELECT_INFO + " ORDER BY c.name"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(info(rs));
            }
        }
        return out;
    }

    /** One page of an organisation's collections in name order, after {@code after} (null: from the start). */
    static List<CollectionInfo> list(Connection c, String organisation, String after, int limit) throws SQLException {
        List<CollectionInfo> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(SELECT_INFO + " WHERE c.organisation_id = ? AND c.name > ?"
                + " ORDER BY c.name FETCH FIRST ? ROWS ONLY")) {
            ps.setString(1, organisation);
            ps.setString(2, after == null ? "" : after);
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(info(rs));
                }
            }
        }
        return out;
    }

    private static CollectionInfo info(ResultSet rs) throws SQLException {
        return new CollectionInfo(rs.getLong("id"), rs.getString("name"), rs.getString("owner"), rs.getString("scan_location"),
                rs.getString("model_id"), Rows.time(rs, "created_at"), Rows.time(rs, "scanned_at"), rs.getInt("images"), rs.getInt("faces"));
    }

    static CollectionInfo add(Connection c, RegistryLog.Appender log, TemplateCipher cipher, SubjectKeys subjectKeys,
                              String organisation, String name, String owner, String location,
                              String modelId, List<CollectionImage> images) throws SQLException {
        checkName(name);
        InputText.required("owner", owner, MAX_OWNER);
        InputText.required("collection location", location, 4096);
        InputText.required("model id", modelId, Registry.MAX_MODEL_ID);
        if (find(c, name) != null) {
            throw new DuplicateException("collection '" + name + "' is already registered: use `collection rescan " + name + "`");
        }
        byte[] key = cipher.newDataKey();
        Instant now = Rows.now();
        long id;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO collection (name, owner, scan_location, created_at, wrapped_key,"
                + " model_id, scanned_at, organisation_id) VALUES (?,?,?,?,?,?,?,?)", new String[] {"id"})) {
            ps.setString(1, name);
            ps.setString(2, owner);
            ps.setString(3, location);
            Rows.setTime(ps, 4, now);
            ps.setBytes(5, cipher.wrapCollectionKey(key, name));
            ps.setString(6, modelId);
            Rows.setTime(ps, 7, now);
            ps.setString(8, organisation);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                id = keys.getLong(1);
            }
        }
        try {
            insertImages(c, cipher, key, subjectKeys, name, modelId, id, images);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("collection", name);
        payload.put("owner", owner);
        payload.put("images", images.size());
        payload.put("faces", images.stream().mapToInt(i -> i.faces().size()).sum());
        payload.put("subjects", subjects(images));
        if (!Organisations.DEFAULT.equals(organisation)) {
            payload.put("organisation", organisation); // absent: the default organisation (logs made before tenants)
        }
        log.append("collection.add", payload);
        return require(c, name);
    }

    /** Replaces the images of a collection with a new scan; returns what changed. */
    static CollectionChange replace(Connection c, RegistryLog.Appender log, TemplateCipher cipher, SubjectKeys subjectKeys, String name,
                                    String modelId,
                                    List<CollectionImage> images) throws SQLException {
        CollectionInfo info = require(c, name);
        Map<String, String> before = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT path, sha256 FROM collection_image WHERE collection_id = ?")) {
            ps.setLong(1, info.id());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    before.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        int added = 0;
        int changed = 0;
        for (CollectionImage i : images) {
            String was = before.remove(i.path());
            if (was == null) {
                added++;
            } else if (!was.equals(i.sha256())) {
                changed++;
            }
        }
        int removed = before.size();
        deleteImages(c, info.id());
        byte[] key = collectionKey(c, cipher, name);
        try {
            insertImages(c, cipher, key, subjectKeys, name, modelId, info.id(), images);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE collection SET scanned_at = ?, model_id = ? WHERE id = ?")) {
            Rows.setTime(ps, 1, Rows.now());
            ps.setString(2, modelId);
            ps.setLong(3, info.id());
            ps.executeUpdate();
        }
        CollectionChange change = new CollectionChange(added, removed, changed, images.size() - added - changed);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("collection", name);
        payload.put("added", added);
        payload.put("removed", removed);
        payload.put("changed", changed);
        payload.put("subjects", subjects(images));
        log.append("collection.rescan", payload);
        return change;
    }

    static void remove(Connection c, RegistryLog.Appender log, String name) throws SQLException {
        CollectionInfo info = require(c, name);
        deleteImages(c, info.id());
        int releases;
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM release_record WHERE collection_id = ?")) {
            ps.setLong(1, info.id());
            releases = ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM collection WHERE id = ?")) {
            ps.setLong(1, info.id());
            ps.executeUpdate();
        }
        log.append("collection.remove", Map.of("collection", name, "images", info.images(), "releases", releases));
    }

    private static void deleteImages(Connection c, long collectionId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM collection_face WHERE image_id IN"
                + " (SELECT id FROM collection_image WHERE collection_id = ?)")) {
            ps.setLong(1, collectionId);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM collection_image WHERE collection_id = ?")) {
            ps.setLong(1, collectionId);
            ps.executeUpdate();
        }
    }

    private static List<String> subjects(List<CollectionImage> images) {
        TreeSet<String> s = new TreeSet<>();
        images.forEach(i -> i.faces().forEach(f -> {
            if (f.subjectId() != null) {
                s.add(f.subjectId());
            }
        }));
        return new ArrayList<>(s);
    }

    private static byte[] collectionKey(Connection c, TemplateCipher cipher, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT wrapped_key FROM collection WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getBytes(1) == null) {
                    throw new NotFoundException("collection '" + name + "' has no key");
                }
                return cipher.unwrapCollectionKey(rs.getBytes(1), name);
            }
        }
    }

    private static String aadId(String name) {
        return "collection/" + name;
    }

    private static void insertImages(Connection c, TemplateCipher cipher, byte[] key, SubjectKeys subjectKeys, String name,
                                     String modelId, long collectionId, List<CollectionImage> images) throws SQLException {
        Map<String, byte[]> keys = new HashMap<>();
        try {
            insertFaces(c, cipher, key, s -> keys.computeIfAbsent(s, subjectKeys::key), name, modelId, collectionId, images);
        } finally {
            keys.values().forEach(k -> {
                if (k != null) {
                    Arrays.fill(k, (byte) 0);
                }
            });
        }
    }

    private static void insertFaces(Connection c, TemplateCipher cipher, byte[] collectionKey, java.util.function.Function<String, byte[]> subjectKey,
                                     String name, String modelId, long collectionId, List<CollectionImage> images) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO collection_image (collection_id, path, sha256, pdq_hex) VALUES (?,?,?,?)")) {
            int n = 0;
            for (CollectionImage i : images) {
                ps.setLong(1, collectionId);
                ps.setString(2, i.path());
                ps.setString(3, i.sha256());
                ps.setString(4, i.pdq());
                ps.addBatch();
                if (++n % 1000 == 0) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
        }
        Map<String, Long> ids = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, path FROM collection_image WHERE collection_id = ?")) {
            ps.setLong(1, collectionId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.put(rs.getString(2), rs.getLong(1));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO collection_face (image_id, face_index, subject_id, box_x, box_y,"
                + " box_w, box_h, similarity, template) VALUES (?,?,?,?,?,?,?,?,?)")) {
            int n = 0;
            for (CollectionImage i : images) {
                for (CollectionFace f : i.faces()) {
                    ps.setLong(1, ids.get(i.path()));
                    ps.setInt(2, f.index());
                    ps.setString(3, f.subjectId());
                    ps.setDouble(4, f.x());
                    ps.setDouble(5, f.y());
                    ps.setDouble(6, f.w());
                    ps.setDouble(7, f.h());
                    ps.setDouble(8, f.similarity());
                    byte[] key = f.subjectId() == null ? collectionKey : subjectKey.apply(f.subjectId());
                    if (f.template() == null || key == null) {
                        ps.setNull(9, Types.VARBINARY);
                    } else {
                        ps.setBytes(9, cipher.encryptTemplate(key, aadId(name), modelId, f.template()));
                    }
                    ps.addBatch();
                    if (++n % 1000 == 0) {
                        ps.executeBatch();
                    }
                }
            }
            ps.executeBatch();
        }
    }

    /** The images of a collection in path order; templates decrypted only when asked for. */
    static List<CollectionImage> images(Connection c, TemplateCipher cipher, SubjectKeys subjectKeys, String name, boolean templates)
            throws SQLException {
        CollectionInfo info = require(c, name);
        byte[] key = templates ? collectionKey(c, cipher, name) : null;
        Map<String, byte[]> keys = new HashMap<>();
        Map<Long, List<CollectionFace>> faces = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT f.image_id, f.face_index, f.subject_id, f.box_x, f.box_y, f.box_w, f.box_h,"
                + " f.similarity, f.template, f.id FROM collection_face f JOIN collection_image i ON i.id = f.image_id"
                + " WHERE i.collection_id = ? ORDER BY f.image_id, f.face_index")) {
            ps.setLong(1, info.id());
            ps.setFetchSize(1000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byte[] sealed = rs.getBytes(9);
                    String subject = rs.getString(3);
                    float[] t = null;
                    if (key != null && sealed != null) {
                        byte[] sk = subject == null ? null : keys.computeIfAbsent(subject, subjectKeys::key);
                        t = decrypt(cipher, sk, key, sealed, aadId(name), info.modelId(), rs.getLong(10));
                    }
                    faces.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new CollectionFace(rs.getInt(2), (float) rs.getDouble(4),
                            (float) rs.getDouble(5), (float) rs.getDouble(6), (float) rs.getDouble(7), rs.getString(3), rs.getDouble(8), t));
                }
            }
        } finally {
            if (key != null) {
                Arrays.fill(key, (byte) 0);
            }
            keys.values().forEach(k -> {
                if (k != null) {
                    Arrays.fill(k, (byte) 0);
                }
            });
        }
        List<CollectionImage> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, path, sha256, pdq_hex FROM collection_image WHERE collection_id = ? ORDER BY path")) {
            ps.setLong(1, info.id());
            ps.setFetchSize(1000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new CollectionImage(rs.getString(2), rs.getString(3), rs.getString(4), faces.getOrDefault(rs.getLong(1), List.of())));
                }
            }
        }
        return out;
    }

    /**
     * An identified face's template is under its subject's key; collections registered before that was so (see
     * docs/REGISTRY.md) have it under the collection key until their next rescan.
     */
    private static float[] decrypt(TemplateCipher cipher, byte[] subjectKey, byte[] collectionKey, byte[] sealed, String aad,
                                   String modelId, long faceId) {
        if (subjectKey != null) {
            try {
                return cipher.decryptTemplate(subjectKey, sealed, aad, modelId, faceId);
            } catch (MasterKeyException legacy) {
                // fall through to the collection key
            }
        }
        return cipher.decryptTemplate(collectionKey, sealed, aad, modelId, faceId);
    }

    /** Every registered image that holds the subject's face. */
    static List<ImpactedImage> impact(Connection c, String subjectId) throws SQLException {
        List<ImpactedImage> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT c.name, c.owner, c.scan_location, i.path, i.sha256, COUNT(*)"
                + " FROM collection_face f JOIN collection_image i ON i.id = f.image_id JOIN collection c ON c.id = i.collection_id"
                + " WHERE f.subject_id = ? GROUP BY c.name, c.owner, c.scan_location, i.path, i.sha256 ORDER BY c.name, i.path")) {
            ps.setString(1, subjectId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ImpactedImage(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getInt(6)));
                }
            }
        }
        return out;
    }

    /** Erasure: the subject's face templates in every collection are destroyed too (the links stay, as pseudonyms). */
    static int eraseTemplates(Connection c, String subjectId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE collection_face SET template = NULL WHERE subject_id = ? AND template IS NOT NULL")) {
            ps.setString(1, subjectId);
            return ps.executeUpdate();
        }
    }
}
