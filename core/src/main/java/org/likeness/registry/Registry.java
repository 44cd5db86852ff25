package org.likeness.registry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The consent registry: subjects, their encrypted enrolments, consents per purpose, fail-closed
 * identification and the hash-chained log. Owns its database connections and the decrypted
 * galleries; close it to release both. Safe for use from several threads.
 */
public final class Registry implements AutoCloseable {
    public static final int MAX_MODEL_ID = 256;
    public static final int MAX_ACTOR = 256;

    private final Database db;
    private final TemplateCipher cipher;
    private final String actor;
    private final KeyStore keys;
    private final LogAnchor anchor;
    /** Why the log head file disagrees with the database, or null; only a registry opened by {@link #inspect} has one. */
    private final String anchorProblem;
    /** Set once the rows were verified against the log (see {@link #requireTrusted}). */
    private volatile boolean trusted;
    /** Guarded by {@link #galleries}. */
    private MatchPolicy policy;
    private final TemplateGallery.Search search;
    private final Map<String, TemplateGallery> galleries;
    /** This registry, or the one a view made by {@link #as} acts for (trust, policy and galleries are the root's). */
    private final Registry root;

    private Registry(Database db, TemplateCipher cipher, String actor, MatchPolicy policy,
                     TemplateGallery.Search search, KeyStore keys, LogAnchor anchor, String anchorProblem) {
        this.root = this;
        this.galleries = new HashMap<>();
        this.db = db;
        this.cipher = cipher;
        this.actor = actor;
        this.policy = policy;
        this.search = search;
        this.keys = keys;
        this.anchor = anchor;
        this.anchorProblem = anchorProblem;
    }

    /** A view of {@code root} that writes as another actor; it shares the root's connections, trust and galleries. */
    private Registry(Registry root, String actor) {
        this.root = root;
        this.galleries = root.galleries;
        this.db = root.db;
        this.cipher = root.cipher;
        this.actor = InputText.required("actor", actor, MAX_ACTOR);
        this.policy = null;
        this.search = root.search;
        this.keys = root.keys;
        this.anchor = root.anchor;
        this.anchorProblem = root.anchorProblem;
    }

    /**
     * The same registry acting for another actor (an account of the HTTP service): every change it makes is logged
     * under that actor. Cheap; closing the view does nothing (close the registry it came from).
     */
    public Registry as(String otherActor) {
        return new Registry(root, otherActor);
    }

    /** The actor this registry writes as. */
    public String actor() {
        return actor;
    }

    /**
     * Creates the schema and records the master key's check value. Returns false, changing nothing,
     * when the registry was already initialised with this master key.
     */
    public static boolean init(RegistryLocation location, MasterKey key, String actor) {
        InputText.required("actor", actor, MAX_ACTOR);
        try (Database db = Database.open(location, key)) {
            TemplateCipher cipher = new TemplateCipher(key);
            return db.write(actor, (c, log) -> {
                String kcv = meta(c, "key_check");
                if (kcv != null) {
                    cipher.verifyKeyCheckValue(kcv);
                    return false;
                }
                String id = UUID.randomUUID().toString();
                putMeta(c, "key_check", cipher.keyCheckValue());
                putMeta(c, "registry_id", id);
                putMeta(c, KEY_STORE_META, "1");
                putMeta(c, ANCHOR_META, "1");
                LogEntry e = log.append("registry.init", Map.of("registry", id));
                // the head file is written before commit here: nothing else can hold a registry that does not exist yet
                new LogAnchor(LogAnchor.fileFor(location, id), cipher, id).advance(e.seq(), e.hash());
                return true;
            });
        }
    }

    /** The password of an H2 registry file (derived from the master key): for opening it with other H2 tools. */
    public static String h2Password(MasterKey key) {
        return Database.h2Password(key);
    }

    /** Whether the database exists and was initialised (by any key); an H2 file that does not exist is not created. */
    public static boolean isInitialised(RegistryLocation location) {
        java.nio.file.Path h2 = location.h2File();
        if (h2 != null && !java.nio.file.Files.exists(h2.resolveSibling(h2.getFileName() + ".mv.db"))) {
            return false;
        }
        try (Database db = Database.open(location)) {
            return db.read(c -> meta(c, "key_check")) != null;
        } catch (StorageException e) {
            // an H2 file protected by a password derived from a master key: initialised by a holder of that key
            if (e.getMessage().contains("Wrong user name or password")) {
                return true;
            }
            throw e;
        }
    }

    /** registry_meta names: subject keys live in the key store file; the log head file exists. */
    private static final String KEY_STORE_META = "key_store";
    private static final String ANCHOR_META = "log_head_file";

    /** Opens an initialised registry for management (no identification). */
    public static Registry open(RegistryLocation location, MasterKey key, String actor) {
        return open(location, key, actor, null, TemplateGallery.Search.AUTO);
    }

    /**
     * Opens an initialised registry; fails with a {@link MasterKeyException} when the key is not
     * the one it was initialised with.
     *
     * @param policy the calibrated match policy used by {@link #identify}; null disables identification
     */
    public static Registry open(RegistryLocation location, MasterKey key, String actor, MatchPolicy policy,
                                TemplateGallery.Search search) {
        return open(location, key, actor, policy, search, true);
    }

    /**
     * Opens a registry for {@code log verify|show|head} even when its log head file disagrees with the database: the
     * disagreement is reported by {@link #verify()} instead of refusing to open. Nothing that acts on consent should
     * use a registry opened this way.
     */
    public static Registry inspect(RegistryLocation location, MasterKey key, String actor) {
        return open(location, key, actor, null, TemplateGallery.Search.AUTO, false);
    }

    private static Registry open(RegistryLocation location, MasterKey key, String actor, MatchPolicy policy,
                                 TemplateGallery.Search search, boolean strict) {
        InputText.required("actor", actor, MAX_ACTOR);
        Database db = Database.open(location, key);
        try {
            TemplateCipher cipher = new TemplateCipher(key);
            String kcv = db.read(c -> meta(c, "key_check"));
            if (kcv == null) {
                throw new NotFoundException("registry " + location.jdbcUrl()
                        + " is not initialised: run `likeness registry init` first");
            }
            cipher.verifyKeyCheckValue(kcv);
            String registryId = db.read(c -> meta(c, "registry_id"));
            KeyStore keys = new KeyStore(KeyStore.fileFor(location, registryId));
            LogAnchor anchor = new LogAnchor(LogAnchor.fileFor(location, registryId), cipher, registryId);
            String problem = checkAnchor(db, anchor, actor);
            if (problem != null && strict) {
                throw new TamperException(problem);
            }
            if (problem == null) {
                db.onCommit(anchor::advance);
                migrateKeys(db, keys, actor);
            }
            return new Registry(db, cipher, actor, policy, search, keys, anchor, problem);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /**
     * Compares the database's log with the head file outside it. Returns null when the database holds the entry the
     * file records (bringing the file forward when the log has grown), else what is wrong.
     */
    private static String checkAnchor(Database db, LogAnchor anchor, String actor) {
        LogAnchor.Head recorded = anchor.read();
        long[] dbSeq = new long[1];
        String[] dbHash = new String[1];
        String[] atRecorded = new String[1];
        String[] anchored = new String[1];
        db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT seq, hash FROM log_head WHERE id = 1");
                 ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    dbSeq[0] = rs.getLong(1);
                    dbHash[0] = rs.getString(2);
                }
            }
            if (recorded != null) {
                try (PreparedStatement ps = c.prepareStatement("SELECT hash FROM log_entry WHERE seq = ?")) {
                    ps.setLong(1, recorded.seq());
                    try (ResultSet rs = ps.executeQuery()) {
                        atRecorded[0] = rs.next() ? rs.getString(1) : null;
                    }
                }
            }
            anchored[0] = meta(c, ANCHOR_META);
            return null;
        });
        if (recorded == null) {
            // an H2 registry's head file lies beside it, so a missing one was removed; a PostgreSQL registry is shared by
            // hosts that each keep their own under $LIKENESS_HOME, so a host that has none starts one (docs/REGISTRY.md)
            if (anchored[0] != null && db.location().h2File() != null) {
                return "log head file " + anchor.file() + " is missing, but this registry has kept one: restore it"
                        + " (or, after checking the log against a head you recorded elsewhere, run `likeness log verify`)";
            }
            // a registry made before head files: start one now (trust on first use, said in docs/REGISTRY.md)
            if (dbSeq[0] > 0) {
                anchor.advance(dbSeq[0], dbHash[0]);
            }
            db.write(actor, (c, log) -> {
                if (meta(c, ANCHOR_META) == null) {
                    putMeta(c, ANCHOR_META, "1");
                }
                return null;
            });
            return null;
        }
        if (atRecorded[0] == null) {
            return "registry database " + db.location().jdbcUrl() + " has lost log entries: its log ends at entry " + dbSeq[0]
                    + " but the log head file " + anchor.file() + " records entry " + recorded.seq() + " (hash "
                    + recorded.hash() + "): the database was truncated or restored from an older copy."
                    + " Restore the newest copy of the database; do not use this one";
        }
        if (!atRecorded[0].equals(recorded.hash())) {
            return "registry database " + db.location().jdbcUrl() + " diverges from its log head file " + anchor.file()
                    + ": entry " + recorded.seq() + " has hash " + atRecorded[0] + " but the head file records " + recorded.hash()
                    + ": the log was rewritten or the database replaced. Restore the newest copy of the database";
        }
        if (dbSeq[0] > recorded.seq()) {
            anchor.advance(dbSeq[0], dbHash[0]);
        }
        return null;
    }

    /**
     * Registries made before the key store kept wrapped subject keys in subject_key: move them to the key store file
     * (logged as registry.keys_moved) and compact, so the database no longer holds them.
     */
    private static void migrateKeys(Database db, KeyStore keys, String actor) {
        if (db.read(c -> meta(c, KEY_STORE_META)) != null) {
            return;
        }
        int moved = db.write(actor, (c, log) -> {
            if (meta(c, KEY_STORE_META) != null) {
                return -1;
            }
            Map<String, byte[]> legacy = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT subject_id, wrapped_key FROM subject_key ORDER BY subject_id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byte[] col = rs.getBytes(2);
                    if (!KeyStore.isRef(col)) {
                        legacy.put(rs.getString(1), col);
                    }
                }
            }
            for (Map.Entry<String, byte[]> e : legacy.entrySet()) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE subject_key SET wrapped_key = ? WHERE subject_id = ?")) {
                    ps.setBytes(1, keys.put(e.getValue()));
                    ps.setString(2, e.getKey());
                    ps.executeUpdate();
                }
            }
            putMeta(c, KEY_STORE_META, "1");
            if (!legacy.isEmpty()) {
                log.append("registry.keys_moved", Map.of("subject_keys", legacy.size(), "key_store", keys.file().getFileName().toString()));
            }
            return legacy.size();
        });
        if (moved > 0) {
            db.compact("subject_key");
        }
    }

    /**
     * Fail closed: before consent states or templates are used, the log chain must be intact and every subject, key,
     * enrolment, consent and collection row must match what the log says. Checked once per opened registry.
     */
    private void requireTrusted() {
        if (root != this) {
            root.requireTrusted();
            return;
        }
        if (trusted) {
            return;
        }
        RegistryVerification v = verify();
        if (!v.intact()) {
            throw new TamperException("registry " + db.location().jdbcUrl() + " refused: " + v.problem()
                    + " (run `likeness log verify` for the full list)");
        }
        trusted = true;
    }

    /** For long-running callers (watch): the next consent read or identification verifies the rows against the log again. */
    public void reverify() {
        root.trusted = false;
    }

    // ---- subjects and enrolments -------------------------------------------------------------

    /** Registers a subject and enrols its faces in one transaction. */
    public Subject addSubject(String id, String displayName, String modelId, List<EnrolFace> faces) {
        return addSubject(id, displayName, modelId, faces, List.of());
    }

    /**
     * Registers a subject, enrols its faces and records its consents in one transaction: all of it is written, or
     * none (bulk import relies on this).
     */
    public Subject addSubject(String id, String displayName, String modelId, List<EnrolFace> faces,
                              List<ConsentGrant> grants) {
        return addSubject(Organisations.DEFAULT, id, displayName, modelId, faces, grants);
    }

    /** {@link #addSubject(String, String, String, List, List)} for a subject owned by the organisation (a tenant). */
    public Subject addSubject(String organisation, String id, String displayName, String modelId, List<EnrolFace> faces,
                              List<ConsentGrant> grants) {
        Organisations.checkId(organisation);
        for (ConsentGrant g : grants) {
            if (!g.subjectId().equals(id)) {
                throw new InvalidInputException("a consent for '" + g.subjectId() + "' cannot be recorded with subject '"
                        + id + "'");
            }
        }
        Subject.checkId(id);
        InputText.optional("subject name", displayName, Subject.MAX_NAME);
        Subject subject = db.write(actor, (c, log) -> {
            Subject existing = findSubject(c, id);
            if (existing != null) {
                throw new DuplicateException("subject '" + id + "' already exists"
                        + (existing.erased() ? " (erased " + existing.erasedAt() + "); ids are never reused" : ""));
            }
            Subject s = new Subject(id, displayName, Rows.now(), null);
            Organisations.require(c, organisation);
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO subject (id, display_name, created_at, organisation_id) VALUES (?, ?, ?, ?)")) {
                ps.setString(1, s.id());
                ps.setString(2, s.displayName());
                Rows.setTime(ps, 3, s.createdAt());
                ps.setString(4, organisation);
                ps.executeUpdate();
            }
            byte[] dataKey = cipher.newDataKey();
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO subject_key (subject_id, wrapped_key) VALUES (?, ?)")) {
                ps.setString(1, id);
                // the wrapped key goes to the key store file; the row keeps only a reference to it
                ps.setBytes(2, keys.put(cipher.wrap(dataKey, id)));
                ps.executeUpdate();
            }
            // the log never holds the display name: it cannot be erased from a hash chain
            log.append("subject.add", Organisations.DEFAULT.equals(organisation) ? Map.of("subject", id)
                    : Map.of("subject", id, "organisation", organisation));
            insertEnrolments(c, log, id, dataKey, modelId, faces);
            Arrays.fill(dataKey, (byte) 0);
            for (ConsentGrant g : grants) {
                ConsentRecords.grant(c, log, g, actor);
            }
            return s;
        });
        invalidate(modelId);
        return subject;
    }

    /** Adds enrolments to an existing, not erased subject. */
    public List<Enrolment> enrol(String subjectId, String modelId, List<EnrolFace> faces) {
        List<Enrolment> out = db.write(actor, (c, log) -> {
            requireLive(c, subjectId);
            byte[] dataKey = dataKey(c, subjectId);
            try {
                return insertEnrolments(c, log, subjectId, dataKey, modelId, faces);
            } finally {
                Arrays.fill(dataKey, (byte) 0);
            }
        });
        invalidate(modelId);
        return out;
    }

    private List<Enrolment> insertEnrolments(Connection c, RegistryLog.Appender log, String subjectId,
                                             byte[] dataKey, String modelId, List<EnrolFace> faces)
            throws SQLException {
        List<Enrolment> out = new ArrayList<>();
        if (faces.isEmpty()) {
            return out;
        }
        InputText.required("model id", modelId, MAX_MODEL_ID);
        for (EnrolFace face : faces) {
            int dims = face.embedding().length;
            Integer known = modelDimensions(c, modelId);
            if (known != null && known != dims) {
                throw new InvalidInputException("embedding of photo " + face.sourceSha256() + " has " + dims
                        + " dimensions but model " + modelId + " has " + known);
            }
            float[] unit = new float[dims];
            TemplateGallery.normaliseInto(face.embedding(), unit, 0, "embedding of photo " + face.sourceSha256());
            byte[] sealed = cipher.encryptTemplate(dataKey, subjectId, modelId, unit);
            Arrays.fill(unit, 0f);
            Instant now = Rows.now();
            long id;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO enrolment (subject_id, model_id, dimensions,"
                    + " quality, source_sha256, template, created_at) VALUES (?,?,?,?,?,?,?)", new String[] {"id"})) {
                ps.setString(1, subjectId);
                ps.setString(2, modelId);
                ps.setInt(3, dims);
                ps.setDouble(4, face.quality());
                ps.setString(5, face.sourceSha256());
                ps.setBytes(6, sealed);
                Rows.setTime(ps, 7, now);
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getLong(1);
                }
            }
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("subject", subjectId);
            payload.put("enrolment", id);
            payload.put("model", modelId);
            payload.put("source_sha256", face.sourceSha256());
            log.append("enrolment.add", payload);
            out.add(new Enrolment(id, subjectId, modelId, dims, face.quality(), face.sourceSha256(), now));
        }
        return out;
    }

    private static Integer modelDimensions(Connection c, String modelId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT dimensions FROM enrolment WHERE model_id = ? FETCH FIRST 1 ROWS ONLY")) {
            ps.setString(1, modelId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : null;
            }
        }
    }

    public Subject subject(String id) {
        return db.read(c -> {
            Subject s = findSubject(c, id);
            if (s == null) {
                throw new NotFoundException("subject '" + id + "' does not exist");
            }
            return s;
        });
    }

    public List<Subject> subjects() {
        return db.read(c -> {
            List<Subject> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM subject ORDER BY id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(Rows.subject(rs));
                }
            }
            return out;
        });
    }

    /** The organisation that owns the subject, or null when there is no such subject. */
    public String subjectOrganisation(String id) {
        return db.read(c -> Organisations.ofSubject(c, id));
    }

    /** One page of an organisation's subjects in id order, after the id {@code after} (null: from the start). */
    public List<Subject> subjects(String organisation, String after, int limit) {
        return db.read(c -> {
            List<Subject> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM subject WHERE organisation_id = ? AND id > ?"
                    + " ORDER BY id FETCH FIRST ? ROWS ONLY")) {
                ps.setString(1, organisation);
                ps.setString(2, after == null ? "" : after);
                ps.setInt(3, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(Rows.subject(rs));
                    }
                }
            }
            return out;
        });
    }

    /** The consent record with this id. */
    public Consent consent(long consentId) {
        requireTrusted();
        return db.read(c -> ConsentRecords.find(c, consentId));
    }

    /** The state of one consent record at a time, judged on that record alone (what its receipt says). */
    public ConsentStatus recordStatus(long consentId, Instant at) {
        requireTrusted();
        return db.read(c -> {
            Consent k = ConsentRecords.find(c, consentId);
            return ConsentEvaluation.evaluate(requireSubject(c, k.subjectId()), k.purpose(), at, List.of(k));
        });
    }

    /** Organisations, accounts, sessions, API keys and allowed server paths (for {@code likeness serve}). */
    public AccountStore accounts() {
        return new AccountStore(db, actor);
    }

    /**
     * How many templates of a model are enrolled (over all subjects): the comparisons a stranger's face gets in an
     * identification, since a subject scores the best of its templates.
     */
    public int templateCount(String modelId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM enrolment WHERE model_id = ?")) {
                ps.setString(1, modelId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    /** Enrolment metadata of a subject (never the templates). */
    public List<Enrolment> enrolments(String subjectId) {
        return db.read(c -> {
            requireSubject(c, subjectId);
            List<Enrolment> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT * FROM enrolment WHERE subject_id = ? ORDER BY id")) {
                ps.setString(1, subjectId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(Rows.enrolment(rs));
                    }
                }
            }
            return out;
        });
    }

    /**
     * Crypto-shredding: deletes the subject's wrapped data key and templates and clears the display
     * name. Consent records stay as evidence; the log records the erasure without biometric data.
     */
    public Erasure erase(String subjectId) {
        Erasure erased = db.write(actor, (c, log) -> {
            requireLive(c, subjectId);
            Instant now = Rows.now();
            byte[] keyColumn = findWrappedKey(c, subjectId);
            int templates;
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM enrolment WHERE subject_id = ?")) {
                ps.setString(1, subjectId);
                templates = ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM subject_key WHERE subject_id = ?")) {
                ps.setString(1, subjectId);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE subject SET erased_at = ?, display_name = NULL WHERE id = ?")) {
                Rows.setTime(ps, 1, now);
                ps.setString(2, subjectId);
                ps.executeUpdate();
            }
            int collectionTemplates = CollectionRecords.eraseTemplates(c, subjectId);
            log.append("subject.erase", Map.of("subject", subjectId, "templates_destroyed", templates,
                    "collection_templates_destroyed", collectionTemplates));
            // last step before commit: overwrite the key's slot in the key store and force it to disk. Should the commit
            // then fail, the subject has lost its key (the erasure asked for that) and a rerun of the erasure completes.
            if (KeyStore.isRef(keyColumn)) {
                keys.destroy(keyColumn);
            }
            return new Erasure(subjectId, templates, now, collectionTemplates, null, 0);
        });
        invalidateAll();
        // dead rows still hold the (now undecryptable) ciphertext: remove them from the files too
        String storage = db.compact("enrolment", "subject_key", "collection_face", "subject");
        int caches = AuditCaches.erase(this, subjectId);
        return new Erasure(subjectId, erased.templatesDestroyed(), erased.erasedAt(), erased.collectionTemplatesDestroyed(),
                storage, caches);
    }

    /** $LIKENESS_HOME of this registry (its scratch folder is reached by erasures). */
    java.nio.file.Path home() {
        return db.location().home();
    }

    /** Removes deleted rows from the database files (after an erasure whose compaction was deferred); says what was done. */
    public String compact() {
        return db.compact("enrolment", "subject_key", "collection_face", "subject");
    }

    /**
     * Records an audit's scan cache (plain embeddings of every face it saw) so that a later erasure can reach it;
     * logged as {@code audit.cache}.
     */
    public void recordAuditCache(java.nio.file.Path cache) {
        record("audit.cache", Map.of("path", cache.toAbsolutePath().normalize().toString()));
    }

    static Subject findSubject(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM subject WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Rows.subject(rs) : null;
            }
        }
    }

    static Subject requireSubject(Connection c, String id) throws SQLException {
        Subject s = findSubject(c, id);
        if (s == null) {
            throw new NotFoundException("subject '" + id + "' does not exist");
        }
        return s;
    }

    static Subject requireLive(Connection c, String id) throws SQLException {
        Subject s = requireSubject(c, id);
        if (s.erased()) {
            throw new InvalidInputException("subject '" + id + "' was erased at " + s.erasedAt());
        }
        return s;
    }

    private static byte[] findWrappedKey(Connection c, String subjectId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT wrapped_key FROM subject_key WHERE subject_id = ?")) {
            ps.setString(1, subjectId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : null;
            }
        }
    }

    /** The subject's data key: the row's reference resolved in the key store (or a legacy wrapped key), unwrapped. */
    byte[] dataKey(Connection c, String subjectId) throws SQLException {
        return unwrapSubjectKey(wrappedKey(c, subjectId), subjectId, null);
    }

    byte[] unwrapSubjectKey(byte[] column, String subjectId, Map<String, byte[]> storeSnapshot) {
        byte[] wrapped = column;
        if (KeyStore.isRef(column)) {
            wrapped = storeSnapshot != null ? storeSnapshot.get(java.util.HexFormat.of().formatHex(column, 1, 33)) : keys.get(column);
            if (wrapped == null) {
                throw new MasterKeyException("data key of subject '" + subjectId + "' is not in the key store " + keys.file()
                        + ": the key store was lost or replaced (restore it from its backup)");
            }
        }
        return cipher.unwrap(wrapped, subjectId);
    }

    private static byte[] wrappedKey(Connection c, String subjectId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT wrapped_key FROM subject_key WHERE subject_id = ?")) {
            ps.setString(1, subjectId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new NotFoundException("subject '" + subjectId + "' has no data key");
                }
                return rs.getBytes(1);
            }
        }
    }

    // ---- consents ----------------------------------------------------------------------------

    public Consent grant(ConsentGrant grant) {
        return db.write(actor, (c, log) -> ConsentRecords.grant(c, log, grant, actor));
    }

    /** Withdraws every consent of the subject for the purpose that is not yet revoked or expired. */
    public List<Consent> revoke(String subjectId, Purpose purpose) {
        return db.write(actor, (c, log) -> ConsentRecords.revoke(c, log, subjectId, purpose));
    }

    public List<Consent> consents(String subjectId) {
        requireTrusted();
        return db.read(c -> {
            requireSubject(c, subjectId);
            return ConsentRecords.list(c, subjectId);
        });
    }

    /** Consent of the subject for the purpose at the time, with the record that decided it. */
    public ConsentStatus status(String subjectId, Purpose purpose, Instant at) {
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(at, "at");
        requireTrusted();
        return db.read(c -> ConsentEvaluation.evaluate(requireSubject(c, subjectId), purpose, at,
                ConsentRecords.list(c, subjectId)));
    }

    /** {@link #status} of many subjects in one read (an audit asks for hundreds); unknown ids are left out. */
    public Map<String, ConsentStatus> statuses(java.util.Collection<String> subjectIds, Purpose purpose, Instant at) {
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(at, "at");
        requireTrusted();
        return db.read(c -> {
            Map<String, ConsentStatus> out = new HashMap<>();
            for (String id : new java.util.TreeSet<>(subjectIds)) {
                Subject s = findSubject(c, id);
                if (s != null) {
                    out.put(id, ConsentEvaluation.evaluate(s, purpose, at, ConsentRecords.list(c, id)));
                }
            }
            return out;
        });
    }

    // ---- registered collections ------------------------------------------------------------

    /** Registers a scanned dataset; face templates are stored encrypted under a new collection key. */
    public CollectionInfo addCollection(String name, String owner, String location, String modelId, List<CollectionImage> images) {
        return db.write(actor, (c, log) -> CollectionRecords.add(c, log, cipher, subjectKeys(c), Organisations.DEFAULT, name, owner, location,
                modelId, images));
    }

    /** Replaces a collection's images with a new scan of it. */
    public CollectionChange rescanCollection(String name, String modelId, List<CollectionImage> images) {
        return db.write(actor, (c, log) -> CollectionRecords.replace(c, log, cipher, subjectKeys(c), name, modelId, images));
    }

    /** Forgets a collection: its images, faces, templates and release records (the log keeps that they existed). */
    public void removeCollection(String name) {
        db.write(actor, (c, log) -> {
            CollectionRecords.remove(c, log, name);
            return null;
        });
    }

    public List<CollectionInfo> collections() {
        return db.read(CollectionRecords::list);
    }

    /** {@link #addCollection(String, String, String, String, List)} for a collection owned by the organisation. */
    public CollectionInfo addCollection(String organisation, String name, String owner, String location, String modelId,
                                        List<CollectionImage> images) {
        Organisations.checkId(organisation);
        return db.write(actor, (c, log) -> {
            Organisations.require(c, organisation);
            return CollectionRecords.add(c, log, cipher, subjectKeys(c), organisation, name, owner, location, modelId, images);
        });
    }

    /** The organisation that owns the collection, or null when there is no such collection. */
    public String collectionOrganisation(String name) {
        return db.read(c -> Organisations.ofCollection(c, name));
    }

    /** One page of an organisation's collections in name order, after {@code after} (null: from the start). */
    public List<CollectionInfo> collections(String organisation, String after, int limit) {
        return db.read(c -> CollectionRecords.list(c, organisation, after, limit));
    }

    public CollectionInfo collection(String name) {
        return db.read(c -> CollectionRecords.require(c, name));
    }

    /** The images of a collection in path order, with their faces; templates decrypted only when asked for. */
    public List<CollectionImage> collectionImages(String name, boolean templates) {
        return db.read(c -> CollectionRecords.images(c, cipher, templates ? subjectKeys(c) : null, name, templates));
    }

    /** Every registered collection image that holds the subject's face (as identified at registration or rescan). */
    public List<ImpactedImage> impact(String subjectId) {
        return db.read(c -> {
            requireSubject(c, subjectId);
            return CollectionRecords.impact(c, subjectId);
        });
    }

    /** Data keys of subjects by id, unwrapped on first use (identified collection faces are encrypted under them). */
    private CollectionRecords.SubjectKeys subjectKeys(Connection c) {
        Map<String, byte[]> store = keys.all();
        return subject -> {
            byte[] col;
            try {
                col = findWrappedKey(c, subject);
            } catch (SQLException e) {
                throw db.storage(e);
            }
            return col == null ? null : unwrapSubjectKey(col, subject, store);
        };
    }

    // ---- releases ----------------------------------------------------------------------------

    /** The registry's fingerprint key; on first use, the one {@code create} makes is stored (wrapped) and logged. */
    public ReleaseKey releaseKey(java.util.function.Supplier<ReleaseKey> create) {
        return db.write(actor, (c, log) -> Releases.key(c, log, cipher, create));
    }

    public ReleaseKey releaseKey(String keyId) {
        return db.read(c -> Releases.keyById(c, cipher, keyId));
    }

    /** Records that a fingerprinted copy of the collection went to the recipient (again: updated); logged. */
    public Release recordRelease(String collection, String recipient, String keyId, int images) {
        return db.write(actor, (c, log) -> Releases.record(c, log, collection, recipient, keyId, images));
    }

    /** Releases of a collection, or of every collection when null. */
    public List<Release> releases(String collection) {
        return db.read(c -> Releases.list(c, collection));
    }

    /** Checks a recipient name before any work is done for it. */
    public static String checkRecipient(String recipient) {
        return Releases.checkRecipient(recipient);
    }

    // ---- identification ----------------------------------------------------------------------

    /** Identifies an embedding against every enrolled template of the same model (fail closed). */
    public Identification identify(float[] vector, String modelId) {
        for (int attempt = 1; ; attempt++) {
            TemplateGallery g = gallery(modelId);
            try {
                return g.identify(vector);
            } catch (IllegalStateException closedMeanwhile) {
                // an enrolment or erasure replaced the gallery during the call: use the new one
                if (attempt >= 3) {
                    throw closedMeanwhile;
                }
            }
        }
    }

    /**
     * The decrypted gallery of a model, built on first use and owned by this registry (do not close
     * it). An enrolment or erasure made through this registry closes it (waiting for searches in
     * progress) and the next call builds a new one; a closed gallery refuses to search.
     */
    public TemplateGallery gallery(String modelId) {
        synchronized (galleries) {
            MatchPolicy policy = root.policy;
            if (policy == null) {
                throw new IllegalStateException("registry opened without a MatchPolicy: identification is disabled");
            }
            TemplateGallery g = galleries.get(modelId);
            if (g == null) {
                requireTrusted();
                Map<String, byte[]> store = keys.all();
                g = db.read(c -> GalleryLoader.load(c, (col, subject) -> unwrapSubjectKey(col, subject, store), cipher, modelId,
                        policy, search));
                galleries.put(modelId, g);
            }
            return g;
        }
    }

    /**
     * The gallery of a model sealed for workers elsewhere (a Spark job's executors): readable only with the key this
     * returns, derived from the master key for this one snapshot ({@link GallerySnapshot}). Logged as
     * {@code gallery.snapshot} with its size, never its content.
     */
    public GallerySnapshot.Sealed snapshot(String modelId) {
        TemplateGallery g = gallery(modelId);
        GallerySnapshot.Sealed sealed = GallerySnapshot.seal(g, cipher);
        record("gallery.snapshot", Map.of("model", modelId, "templates", g.size(), "snapshot", sealed.id()));
        return sealed;
    }

    /**
     * The gallery of a model split into {@code blocks} sealed snapshots (by the sign code of the templates' first
     * dimensions: {@link TemplateGallery#blocks}), for a partitioned identification; logged as one
     * {@code gallery.snapshot} entry.
     */
    public java.util.List<GallerySnapshot.Sealed> snapshotBlocks(String modelId, int blocks) {
        TemplateGallery g = gallery(modelId);
        java.util.List<TemplateGallery> parts = g.blocks(blocks, TemplateGallery.Search.AUTO);
        java.util.List<GallerySnapshot.Sealed> out;
        try {
            out = GallerySnapshot.seal(parts, cipher);
        } finally {
            parts.forEach(TemplateGallery::close);
        }
        record("gallery.snapshot", Map.of("model", modelId, "templates", g.size(), "blocks", blocks,
                "snapshot", out.get(0).id()));
        return out;
    }

    /**
     * Sets the policy identification uses from now on: for a caller that must read the registry (e.g. count its
     * subjects) before it can choose the threshold. Galleries built under the old policy are closed.
     */
    public void usePolicy(MatchPolicy newPolicy) {
        synchronized (galleries) {
            invalidateAll();
            root.policy = newPolicy;
        }
    }

    private void invalidate(String modelId) {
        synchronized (galleries) {
            TemplateGallery g = galleries.remove(modelId);
            if (g != null) {
                g.close();
            }
        }
    }

    private void invalidateAll() {
        synchronized (galleries) {
            galleries.values().forEach(TemplateGallery::close);
            galleries.clear();
        }
    }

    // ---- log ---------------------------------------------------------------------------------

    /**
     * Appends an entry for an event outside the registry's own changes, e.g. an audit run
     * ({@code audit.run}). Payload values must be text, numbers, booleans, null, or lists and maps
     * of them; arrays are refused so that no vector can slip into the log.
     */
    public LogEntry record(String action, Map<String, ?> payload) {
        if (action == null || !action.matches("[a-z]+(\\.[a-z_]+)+") || action.length() > 64) {
            throw new InvalidInputException("log action '" + action + "' must look like audit.run (lower case, dotted)");
        }
        checkPayload(action, payload);
        return db.write(actor, (c, log) -> log.append(action, payload));
    }

    private static void checkPayload(String action, Object value) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
            return;
        }
        if (value instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!(e.getKey() instanceof String)) {
                    throw new InvalidInputException("log payload of " + action + " has a non-text key");
                }
                checkPayload(action, e.getValue());
            }
            return;
        }
        if (value instanceof List<?> l) {
            l.forEach(v -> checkPayload(action, v));
            return;
        }
        throw new InvalidInputException("log payload of " + action + " holds a " + value.getClass().getSimpleName()
                + ": only text, numbers, booleans, lists and maps are allowed");
    }

    public LogVerification verifyLog() {
        return db.read(RegistryLog::verify);
    }

    /**
     * Everything {@code log verify} checks: the hash chain, the log head file outside the database, and every row the
     * registry acts on against the log's replay.
     */
    public RegistryVerification verify() {
        LogVerification chain = verifyLog();
        // rows and log from one snapshot: a change committed meanwhile by another process is not a mismatch
        List<RowMismatch> rows = new java.util.ArrayList<>(db.snapshot(StateCheck::check));
        rows.addAll(db.read(c -> StateCheck.checkKeyStore(c, keys)));
        return new RegistryVerification(chain, anchorProblem, rows, anchor.file().toString());
    }

    /** The job table of the HTTP service's job engine (docs/REGISTRY.md, "Jobs"). */
    public JobRecords jobs() {
        return new JobRecords(db);
    }

    public String logHead() {
        return db.read(RegistryLog::head);
    }

    public List<LogEntry> log(long fromSeq, int limit) {
        return db.read(c -> RegistryLog.entries(c, fromSeq, limit));
    }

    /** Up to {@code limit} entries with {@code action} before {@code beforeSeq}, newest first (a reader's cursor is found without reading the whole log). */
    public List<LogEntry> logLatest(String action, long beforeSeq, int limit) {
        return db.read(c -> RegistryLog.latest(c, action, beforeSeq, limit));
    }

    // ---- meta --------------------------------------------------------------------------------

    private static String meta(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT meta_value FROM registry_meta WHERE meta_name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static void putMeta(Connection c, String name, String value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO registry_meta (meta_name, meta_value) VALUES (?, ?)")) {
            ps.setString(1, name);
            ps.setString(2, value);
            ps.executeUpdate();
        }
    }

    public RegistryLocation location() {
        return db.location();
    }

    /** For {@link RegistryBackup}: the database the backup is written from. */
    Database database() {
        return db;
    }

    /** For {@link RegistryBackup}: the manifest's MAC. */
    TemplateCipher cipher() {
        return cipher;
    }

    @Override
    public void close() {
        if (root != this) {
            return; // a view: the registry it came from owns the connections
        }
        invalidateAll();
        db.close();
    }
}
