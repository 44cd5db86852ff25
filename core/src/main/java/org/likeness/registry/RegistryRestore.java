package org.likeness.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.likeness.files.PrivateFiles;

/**
 * Puts a {@link RegistryBackup} of an H2 registry in place and reconciles it with the live key store, which the backup
 * never holds: a subject of the backup whose key slot is gone (erased after the backup, or the key store lost) is
 * recorded as erased; live key slots the restored database does not reference (subjects added after the backup, whose
 * rows are lost) are destroyed. The head file is set back to the restored log on purpose, and the rollback is logged
 * ({@code registry.restore}). See docs/REGISTRY.md, "Backups and erasure".
 */
public final class RegistryRestore {
    static final String ERASE_REASON = "key destroyed after the backup";
    static final String REVOKE_REASON = "revoked after the backup (replayed from the replaced database's log)";
    /** H2's "Database may be already in use" and "Wrong user name or password". */
    private static final int H2_IN_USE = 90020;
    private static final int H2_WRONG_PASSWORD = 28000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    /**
     * What a restore did. {@code previousSeq}/{@code previousHash}: the replaced database's log head (null when there was
     * none); {@code lostEntries}: its entries after the backup, now gone (null when unknown); {@code setAside}: where the
     * replaced file was kept.
     */
    public record Report(String registryId, long backupSeq, String backupHash, Long previousSeq, String previousHash,
                         Long lostEntries, List<String> subjectsErased, int revocationsReplayed, int keySlotsDestroyed,
                         int auditCachesKept,
                         Path setAside, long seq, String hash, String storage) {
    }

    private record Live(String registryId, long seq, String hash, long afterBackup, List<String> auditCaches,
                        List<Revocation> revocations) {
    }

    /** A consent.revoke of the replaced database's log, made after the backup. */
    private record Revocation(long consent, String subject, String purpose, String revokedAt) {
    }

    private RegistryRestore() {
    }

    /**
     * Restores the backup in {@code dir}. Refuses a PostgreSQL registry, a backup of another registry, a master key that
     * is not the registry's, a registry another process has open, and (unless {@code replace}) an existing database.
     */
    public static Report restore(RegistryLocation location, MasterKey key, String actor, Path dir, boolean replace) {
        Path h2 = location.h2File();
        if (h2 == null) {
            throw new InvalidInputException("registry restore writes H2 registries only: restore a PostgreSQL registry with"
                    + " pg_restore (docs/REGISTRY.md, \"Backups and erasure\")");
        }
        InputText.required("actor", actor, Registry.MAX_ACTOR);
        RegistryBackup.Manifest m = RegistryBackup.read(dir);
        TemplateCipher cipher = new TemplateCipher(key);
        RegistryBackup.checkMac(m, cipher, dir);
        String password = location.password().isEmpty() ? Database.h2Password(key) : location.password();
        Path liveFile = h2.resolveSibling(h2.getFileName() + ".mv.db");
        LogAnchor anchor = new LogAnchor(LogAnchor.fileFor(location, m.registryId()), cipher, m.registryId());
        Connection exclusive = null;
        Live live = null;
        try {
            if (Files.exists(liveFile)) {
                exclusive = openExclusive(location, h2, password, key);
                live = readLive(exclusive, location, m);
                if (!live.registryId().equals(m.registryId())) {
                    throw new InvalidInputException("backup " + dir + " belongs to registry " + m.registryId() + ", not to "
                            + location.jdbcUrl() + " (registry " + live.registryId() + "): nothing was changed");
                }
                if (!replace) {
                    throw new InvalidInputException("registry restore would replace the database " + liveFile + " (log entry "
                            + live.seq() + ") with the backup's (log entry " + m.seq() + "): run it again with --yes");
                }
            } else {
                anchor.read(); // a head file left from the lost database must be this registry's (refused otherwise)
            }
            // with neither a database nor a head file, nothing says the key store beside them is this registry's: its keys
            // that the backup does not reference are destroyed only when asked
            boolean mayDestroy = replace || Files.exists(anchor.file());
            Staged staged = stage(location, h2, password, key, cipher, m, dir, live, actor, mayDestroy);
            // 1. the head file back to the backup's head, which both the old and the new database hold: a crash from here
            //    on leaves a registry that opens either way
            anchor.reset(m.seq(), m.hash());
            // 2. the restored database in place; the replaced one kept aside
            Path aside = null;
            Path stagedFile = staged.base().resolveSibling(staged.base().getFileName() + ".mv.db");
            if (exclusive != null) {
                aside = h2.resolveSibling(h2.getFileName() + ".mv.db.before-restore-" + STAMP.format(Instant.now()));
                boolean linked;
                try {
                    Files.createLink(aside, liveFile); // keeps the old file while this process still holds it open
                    linked = true;
                } catch (IOException | UnsupportedOperationException e) {
                    linked = false;
                }
                if (linked) {
                    Files.move(stagedFile, liveFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    shutdown(exclusive);
                    exclusive = null;
                } else {
                    shutdown(exclusive);
                    exclusive = null;
                    Files.move(liveFile, aside, StandardCopyOption.ATOMIC_MOVE);
                    Files.move(stagedFile, liveFile, StandardCopyOption.ATOMIC_MOVE);
                }
                PrivateFiles.restrict(aside);
            } else {
                Files.move(stagedFile, liveFile, StandardCopyOption.ATOMIC_MOVE);
            }
            PrivateFiles.restrict(liveFile);
            Files.deleteIfExists(staged.base().resolveSibling(staged.base().getFileName() + ".trace.db"));
            PrivateFiles.syncDirectory(h2.getParent());
            // 3. the head file to the restored log's head (the rollback and the erasures it recorded)
            anchor.reset(staged.seq(), staged.hash());
            // 4. key slots nothing references any more: subjects added after the backup, whose rows are gone
            KeyStore keys = new KeyStore(KeyStore.fileFor(location, m.registryId()));
            int destroyed = 0;
            for (String hex : staged.unreferencedSlots()) {
                byte[] ref = new byte[33];
                ref[0] = KeyStore.REF;
                System.arraycopy(HexFormat.of().parseHex(hex), 0, ref, 1, 32);
                destroyed += keys.destroy(ref);
            }
            return new Report(m.registryId(), m.seq(), m.hash(), live == null ? null : live.seq(),
                    live == null ? null : live.hash(), live == null ? null : live.afterBackup(), staged.erased(),
                    staged.revocations(), destroyed,
                    live == null ? 0 : live.auditCaches().size(), aside, staged.seq(), staged.hash(), staged.storage());
        } catch (IOException e) {
            throw new StorageException("registry restore from " + dir + " failed: " + e.getMessage(), e);
        } finally {
            if (exclusive != null) {
                try {
                    exclusive.close();
                } catch (SQLException ignored) {
                    // closing after a refusal
                }
            }
        }
    }

    /** The live database opened without mixed mode: it fails when another process has the file open, and then locks it out. */
    private static Connection openExclusive(RegistryLocation location, Path h2, String password, MasterKey key) {
        RegistryLocation exclusive = new RegistryLocation("jdbc:h2:file:" + h2 + ";AUTO_SERVER=FALSE", location.user(), password,
                location.home());
        try {
            return DriverManager.getConnection(exclusive.connectUrl(), exclusive.user(), exclusive.password());
        } catch (SQLException e) {
            if (e.getErrorCode() == H2_IN_USE) {
                throw new StorageException("registry " + location.jdbcUrl() + " is open in another process: stop it (watch,"
                        + " audit, other registry commands) and run restore again; nothing was changed", e);
            }
            if (e.getErrorCode() == H2_WRONG_PASSWORD) {
                throw new MasterKeyException("master key does not match the registry " + location.jdbcUrl() + " (key from "
                        + key.origin() + "): nothing was changed");
            }
            throw new StorageException("the current registry database " + h2 + ".mv.db cannot be opened ("
                    + firstLine(e.getMessage()) + "): if it is damaged, move it aside and run restore again", e);
        }
    }

    private static Live readLive(Connection c, RegistryLocation location, RegistryBackup.Manifest m) {
        try {
            String id = RegistryBackup.meta(c, "registry_id");
            long seq = 0;
            String hash = RegistryLog.GENESIS;
            try (PreparedStatement ps = c.prepareStatement("SELECT seq, hash FROM log_head WHERE id = 1");
                 ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    seq = rs.getLong(1);
                    hash = rs.getString(2);
                }
            }
            // audit caches recorded after the backup: the restored log must still know them, so that a later erasure reaches them
            TreeSet<String> caches = new TreeSet<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT payload FROM log_entry WHERE seq > ? AND action = 'audit.cache' ORDER BY seq")) {
                ps.setLong(1, m.seq());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        try {
                            JsonNode p = JSON.readTree(rs.getString(1));
                            if (p.hasNonNull("path")) {
                                caches.add(p.get("path").asText());
                            }
                        } catch (IOException ignored) {
                            // a damaged payload: that registry's own log verify reports it
                        }
                    }
                }
            }
            // withdrawals made after the backup: replayed when the backup is an ancestor of this database (its head entry is
            // in this log), so that consent ids name the same records; re-applying a revocation only ever narrows consent
            List<Revocation> revocations = new ArrayList<>();
            boolean ancestor;
            try (PreparedStatement ps = c.prepareStatement("SELECT hash FROM log_entry WHERE seq = ?")) {
                ps.setLong(1, m.seq());
                try (ResultSet rs = ps.executeQuery()) {
                    ancestor = m.seq() == 0 || (rs.next() && m.hash().equals(rs.getString(1)));
                }
            }
            if (ancestor) {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT payload FROM log_entry WHERE seq > ? AND action = 'consent.revoke' ORDER BY seq")) {
                    ps.setLong(1, m.seq());
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            try {
                                JsonNode p = JSON.readTree(rs.getString(1));
                                Instant at = Instant.parse(p.path("revoked_at").asText());
                                revocations.add(new Revocation(p.path("consent").asLong(), p.path("subject").asText(),
                                        p.path("purpose").asText(), at.toString()));
                            } catch (IOException | RuntimeException ignored) {
                                // a damaged payload: that registry's own log verify reports it
                            }
                        }
                    }
                }
            }
            return new Live(id, seq, hash, Math.max(0, seq - m.seq()), new ArrayList<>(caches), revocations);
        } catch (SQLException e) {
            throw new StorageException("the current registry database " + location.jdbcUrl() + " cannot be read ("
                    + firstLine(e.getMessage()) + "): if it is damaged, move it aside and run restore again", e);
        }
    }

    private record Staged(Path base, long seq, String hash, List<String> erased, int revocations, Set<String> unreferencedSlots,
                          String storage) {
    }

    /**
     * Loads the backup into a new H2 file beside the registry, checks it is the database the manifest describes (key,
     * registry id, intact chain ending at the manifest's head) and reconciles it with the live key store there.
     */
    private static Staged stage(RegistryLocation location, Path h2, String password, MasterKey key, TemplateCipher cipher,
                                RegistryBackup.Manifest m, Path dir, Live live, String actor, boolean mayDestroy)
            throws IOException {
        Path base = h2.resolveSibling(h2.getFileName() + "-restore");
        Files.deleteIfExists(base.resolveSibling(base.getFileName() + ".mv.db")); // left by an interrupted restore
        Files.deleteIfExists(base.resolveSibling(base.getFileName() + ".trace.db"));
        RegistryLocation staging = new RegistryLocation("jdbc:h2:file:" + base + ";AUTO_SERVER=FALSE", location.user(), password,
                location.home());
        Path sql = dir.resolve(RegistryBackup.DATABASE).toAbsolutePath();
        try (Connection c = DriverManager.getConnection(staging.connectUrl(), staging.user(), staging.password());
             Statement st = c.createStatement()) {
            PrivateFiles.restrict(base.resolveSibling(base.getFileName() + ".mv.db"));
            st.execute("RUNSCRIPT FROM '" + sql.toString().replace("'", "''") + "' COMPRESSION GZIP");
            String kcv = RegistryBackup.meta(c, "key_check");
            if (kcv == null) {
                throw new InvalidInputException(sql + ": holds no initialised registry");
            }
            cipher.verifyKeyCheckValue(kcv);
            String id = RegistryBackup.meta(c, "registry_id");
            LogVerification v = RegistryLog.verify(c);
            if (!m.registryId().equals(id) || !v.intact() || v.entries() != m.seq() || !m.hash().equals(v.headHash())) {
                throw new InvalidInputException(sql + ": does not hold the database its manifest describes (registry " + id
                        + ", log " + (v.intact() ? "ending at entry " + v.entries() : "broken: " + v.reason()) + ")");
            }
        } catch (SQLException e) {
            deleteStaging(base);
            throw new StorageException(sql + ": cannot be loaded into " + base + ".mv.db: " + firstLine(e.getMessage()), e);
        } catch (RuntimeException e) {
            deleteStaging(base);
            throw e;
        }
        KeyStore keys = new KeyStore(KeyStore.fileFor(location, m.registryId()));
        Map<String, byte[]> slots = keys.all();
        List<String> erased = new ArrayList<>();
        Set<String> referenced = new TreeSet<>();
        long[] head = new long[1];
        String[] hash = new String[1];
        int[] revoked = new int[1];
        String storage;
        try (Database db = Database.open(staging, null)) {
            db.write(actor, (c, log) -> {
                erased.clear();
                referenced.clear();
                Map<String, byte[]> rows = new LinkedHashMap<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT subject_id, wrapped_key FROM subject_key ORDER BY subject_id");
                     ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.put(rs.getString(1), rs.getBytes(2));
                    }
                }
                for (Map.Entry<String, byte[]> row : rows.entrySet()) {
                    if (!KeyStore.isRef(row.getValue())) {
                        continue; // a wrapped key kept in the row (a registry older than the key store): moved at next open
                    }
                    String hex = HexFormat.of().formatHex(row.getValue(), 1, 33);
                    if (slots.containsKey(hex)) {
                        referenced.add(hex);
                    } else {
                        eraseRows(c, log, row.getKey());
                        erased.add(row.getKey());
                    }
                }
                revoked[0] = 0;
                if (live != null) {
                    for (Revocation k : live.revocations()) {
                        try (PreparedStatement ps = c.prepareStatement("UPDATE consent SET revoked_at = ? WHERE id = ?"
                                + " AND subject_id = ? AND purpose = ? AND revoked_at IS NULL")) {
                            Rows.setTime(ps, 1, Instant.parse(k.revokedAt()));
                            ps.setLong(2, k.consent());
                            ps.setString(3, k.subject());
                            ps.setString(4, k.purpose());
                            if (ps.executeUpdate() == 1) {
                                log.append("consent.revoke", Map.of("consent", k.consent(), "subject", k.subject(),
                                        "purpose", k.purpose(), "revoked_at", k.revokedAt(), "reason", REVOKE_REASON));
                                revoked[0]++;
                            }
                        }
                    }
                    for (String cache : live.auditCaches()) {
                        log.append("audit.cache", Map.of("path", cache));
                    }
                }
                Map<String, Object> payload = new LinkedHashMap<>();
                payload.put("backup", dir.toAbsolutePath().normalize().getFileName().toString());
                payload.put("backup_head", Map.of("seq", m.seq(), "hash", m.hash()));
                Map<String, Object> previous = new LinkedHashMap<>();
                previous.put("seq", live == null ? null : live.seq());
                previous.put("hash", live == null ? null : live.hash());
                payload.put("previous_head", previous);
                payload.put("subjects_erased", erased.size());
                payload.put("revocations_replayed", revoked[0]);
                payload.put("key_slots_unreferenced", slots.size() - referenced.size());
                LogEntry e = log.append("registry.restore", payload);
                head[0] = e.seq();
                hash[0] = e.hash();
                return null;
            });
            // the erased subjects' ciphertexts and names are dead pages now: rewrite the file without them
            storage = db.compact("enrolment", "subject_key", "collection_face", "subject");
        } catch (RuntimeException e) {
            deleteStaging(base);
            throw e;
        }
        Set<String> unreferenced = new TreeSet<>(slots.keySet());
        unreferenced.removeAll(referenced);
        if (!mayDestroy && !unreferenced.isEmpty()) {
            deleteStaging(base);
            throw new InvalidInputException("the key store " + keys.file() + " holds " + unreferenced.size() + " key(s) the backup"
                    + " does not reference, and neither a database nor a log head file says it belongs to registry "
                    + m.registryId() + ": run it again with --yes to restore and destroy them; nothing was changed");
        }
        return new Staged(base, head[0], hash[0], List.copyOf(erased), revoked[0], unreferenced, storage);
    }

    /**
     * The rows of a normal erasure (Registry.erase): templates deleted, key row deleted, name cleared, collection templates
     * nulled; logged as subject.erase with the reason. The key slot is already gone from the live key store.
     */
    private static void eraseRows(Connection c, RegistryLog.Appender log, String subjectId) throws SQLException {
        int templates;
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM enrolment WHERE subject_id = ?")) {
            ps.setString(1, subjectId);
            templates = ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM subject_key WHERE subject_id = ?")) {
            ps.setString(1, subjectId);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE subject SET erased_at = ?, display_name = NULL WHERE id = ?")) {
            Rows.setTime(ps, 1, Rows.now());
            ps.setString(2, subjectId);
            ps.executeUpdate();
        }
        int collectionTemplates = CollectionRecords.eraseTemplates(c, subjectId);
        log.append("subject.erase", Map.of("subject", subjectId, "templates_destroyed", templates,
                "collection_templates_destroyed", collectionTemplates, "reason", ERASE_REASON));
    }

    private static void shutdown(Connection c) {
        try (Statement st = c.createStatement()) {
            st.execute("SHUTDOWN");
        } catch (SQLException ignored) {
            // already closed
        }
        try {
            c.close();
        } catch (SQLException ignored) {
            // closed by the shutdown
        }
    }

    private static void deleteStaging(Path base) {
        try {
            Files.deleteIfExists(base.resolveSibling(base.getFileName() + ".mv.db"));
            Files.deleteIfExists(base.resolveSibling(base.getFileName() + ".trace.db"));
        } catch (IOException ignored) {
            // removed by the next restore
        }
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
