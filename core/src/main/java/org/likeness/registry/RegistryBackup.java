package org.likeness.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.likeness.files.PrivateFiles;

/**
 * A backup that respects erasure: the database only, never the key store or the master key. Subjects' data keys stay
 * in the live key store alone, where erasure overwrites them, so an erasure made after a backup is honoured by every
 * backup at once (its ciphertexts have no key anywhere), and {@link RegistryRestore} records it. The database is written
 * with H2's {@code SCRIPT … COMPRESSION GZIP}: live rows only, so dead pages (an erased subject's old ciphertext or
 * display name while a compaction was deferred) never reach a backup. See docs/REGISTRY.md, "Backups and erasure".
 */
public final class RegistryBackup {
    /** The files of a backup folder. */
    public static final String MANIFEST = "backup.json";
    public static final String DATABASE = "registry.sql.gz";
    static final String FORMAT = "likeness-registry-backup";
    static final int VERSION = 1;
    /** A backup whose log head moved while the script was written is taken again, this many times at most. */
    private static final int MAX_ATTEMPTS = 5;
    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    /** What backup.json says: whose registry, the log head the database was written at, when. */
    public record Manifest(String registryId, long seq, String hash, Instant created, String databaseSha256, String mac) {
        /** The text the MAC covers: everything that says which database this is. */
        String macText() {
            return FORMAT + "|" + VERSION + "|" + registryId + "|" + seq + "|" + hash + "|" + created + "|" + databaseSha256;
        }
    }

    /**
     * Restoring runs the backup's SQL script, which H2 would let define Java functions: only a manifest MACed with a key
     * derived from the master key (so written by `registry backup` of a holder of the key) is loaded.
     */
    static void checkMac(Manifest m, TemplateCipher cipher, Path dir) {
        String expected = cipher.mac("registry-backup", m.macText());
        if (!MessageDigest.isEqual(expected.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                m.mac().getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
            throw new TamperException(dir.resolve(MANIFEST) + ": fails its MAC: the backup was edited, or made with another"
                    + " master key; nothing was changed (its script was not run)");
        }
    }

    private RegistryBackup() {
    }

    /** Writes the backup of an open H2 registry into {@code dir} (new or empty; made 0700) and logs registry.backup. */
    public static Manifest backup(Registry registry, Path dir) {
        RegistryLocation location = registry.location();
        if (location.h2File() == null) {
            throw new InvalidInputException("registry backup writes H2 registries only: back up the PostgreSQL database "
                    + location.jdbcUrl() + " with pg_dump (docs/REGISTRY.md, \"Backups and erasure\")");
        }
        prepare(dir);
        Path sql = dir.resolve(DATABASE).toAbsolutePath();
        Database db = registry.database();
        long[] seq = new long[1];
        String[] hash = new String[1];
        for (int attempt = 1; ; attempt++) {
            String before = head(db, seq, hash);
            db.read(c -> {
                try (Statement st = c.createStatement()) {
                    // written by the process that serves the H2 file (this one, or another on this machine in mixed mode)
                    st.execute("SCRIPT TO '" + sql.toString().replace("'", "''") + "' COMPRESSION GZIP");
                }
                return null;
            });
            String after = head(db, seq, hash);
            if (before.equals(after)) {
                break;
            }
            // a change committed while the script was written: the script may hold part of it; write it again
            if (attempt >= MAX_ATTEMPTS) {
                throw new StorageException("registry backup " + dir + ": the registry changed during each of " + MAX_ATTEMPTS
                        + " attempts; run it again when it is quieter", null);
            }
        }
        try {
            PrivateFiles.restrict(sql);
            String registryId = db.read(c -> meta(c, "registry_id"));
            Manifest unsigned = new Manifest(registryId, seq[0], hash[0], Instant.now(), sha256(sql), "");
            Manifest m = new Manifest(unsigned.registryId(), unsigned.seq(), unsigned.hash(), unsigned.created(),
                    unsigned.databaseSha256(), registry.cipher().mac("registry-backup", unsigned.macText()));
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("format", FORMAT);
            json.put("version", VERSION);
            json.put("registry", m.registryId());
            json.put("log_seq", m.seq());
            json.put("log_head", m.hash());
            json.put("created", m.created().toString());
            json.put("database", DATABASE);
            json.put("database_sha256", m.databaseSha256());
            json.put("key_store", "not included: data keys stay in the live key store, where erasure destroys them");
            json.put("mac", m.mac());
            PrivateFiles.writeDurably(dir.resolve(MANIFEST), JSON.writeValueAsBytes(json));
            PrivateFiles.syncDirectory(dir);
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("dir", dir.toAbsolutePath().normalize().getFileName().toString());
            payload.put("seq", m.seq());
            payload.put("hash", m.hash());
            registry.record("registry.backup", payload);
            return m;
        } catch (IOException e) {
            throw new StorageException("registry backup " + dir + " cannot be written: " + e.getMessage(), e);
        }
    }

    private static void prepare(Path dir) {
        try {
            if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                    throw new InvalidInputException("registry backup " + dir + ": exists and is not a folder");
                }
                try (var entries = Files.list(dir)) {
                    if (entries.findAny().isPresent()) {
                        throw new InvalidInputException("registry backup " + dir + ": folder is not empty (a backup is"
                                + " written into a new or empty folder, never over another)");
                    }
                }
            }
            PrivateFiles.createDirectories(dir);
            PrivateFiles.restrict(dir);
        } catch (IOException e) {
            throw new StorageException("registry backup " + dir + " cannot be created: " + e.getMessage(), e);
        }
    }

    private static String head(Database db, long[] seq, String[] hash) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT seq, hash FROM log_head WHERE id = 1");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                seq[0] = rs.getLong(1);
                hash[0] = rs.getString(2);
                return seq[0] + ":" + hash[0];
            }
        });
    }

    static String meta(java.sql.Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT meta_value FROM registry_meta WHERE meta_name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** Reads and checks a backup folder's manifest and its database file's checksum; one clear line on any problem. */
    public static Manifest read(Path dir) {
        Path manifest = dir.resolve(MANIFEST);
        Path sql = dir.resolve(DATABASE);
        if (!Files.isRegularFile(manifest, LinkOption.NOFOLLOW_LINKS)) {
            throw new InvalidInputException(manifest + ": missing (not a registry backup folder made by `registry backup`)");
        }
        if (!Files.isRegularFile(sql, LinkOption.NOFOLLOW_LINKS)) {
            throw new InvalidInputException(sql + ": missing (the backup is incomplete)");
        }
        JsonNode j;
        try {
            if (Files.size(manifest) > 64 * 1024) {
                throw new InvalidInputException(manifest + ": too large for a backup manifest");
            }
            j = JSON.readTree(Files.readAllBytes(manifest));
        } catch (IOException e) {
            throw new InvalidInputException(manifest + ": not JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        if (j == null || !FORMAT.equals(j.path("format").asText()) || j.path("version").asInt() != VERSION) {
            throw new InvalidInputException(manifest + ": not a " + FORMAT + " version " + VERSION + " manifest");
        }
        String id = j.path("registry").asText();
        String hash = j.path("log_head").asText();
        String sum = j.path("database_sha256").asText();
        String mac = j.path("mac").asText();
        long seq = j.path("log_seq").asLong(-1);
        if (!id.matches("[0-9a-f-]{36}") || !hash.matches("[0-9a-f]{64}") || !sum.matches("[0-9a-f]{64}") || seq < 0
                || !mac.matches("[0-9a-f]{64}")) {
            throw new InvalidInputException(manifest + ": registry, log_seq, log_head, database_sha256 or mac is missing or"
                    + " malformed");
        }
        Instant created;
        try {
            created = Instant.parse(j.path("created").asText());
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(manifest + ": created is not an ISO-8601 instant");
        }
        String actual;
        try {
            actual = sha256(sql);
        } catch (IOException e) {
            throw new StorageException(sql + ": cannot be read: " + e.getMessage(), e);
        }
        if (!actual.equals(sum)) {
            throw new InvalidInputException(sql + ": damaged or replaced (its SHA-256 is " + actual + ", the manifest records "
                    + sum + ")");
        }
        return new Manifest(id, seq, hash, created, sum, mac);
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                d.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
