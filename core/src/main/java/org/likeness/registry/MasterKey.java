package org.likeness.registry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

/**
 * The 256-bit key that wraps every subject's data key. Read from {@code LIKENESS_MASTER_KEY}
 * (base64) or from a key file of mode 0600 holding the base64 text. Zeroed on {@link #close()}.
 */
public final class MasterKey implements AutoCloseable {
    /** AES-256: 32 bytes. */
    public static final int BYTES = 32;
    public static final String ENV = "LIKENESS_MASTER_KEY";

    private final byte[] key;
    private final String origin;

    private MasterKey(byte[] key, String origin) {
        if (key.length != BYTES) {
            Arrays.fill(key, (byte) 0);
            throw new MasterKeyException("master key from " + origin + " has " + key.length
                    + " bytes: a 256-bit key (32 bytes, base64) is required");
        }
        this.key = key;
        this.origin = origin;
    }

    /** A key from base64 text; {@code origin} names where it came from for error messages. */
    public static MasterKey fromBase64(String base64, String origin) {
        try {
            return new MasterKey(Base64.getDecoder().decode(base64.trim()), origin);
        } catch (IllegalArgumentException e) {
            throw new MasterKeyException("master key from " + origin + " is not valid base64");
        }
    }

    /** Reads a key file, refusing one that group or others can read. */
    public static MasterKey load(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new MasterKeyException("master key file " + file + " does not exist: for a new registry run"
                    + " `likeness registry init`; for an existing one restore the key file `registry init` created for it"
                    + " (from your key backup) or set " + ENV + " to that key (a new key cannot open an existing registry)");
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
                throw new MasterKeyException("master key file " + file + " is accessible by group or others ("
                        + PosixFilePermissions.toString(perms) + "): run chmod 600 " + file);
            }
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing to check
        }
        return fromBase64(Files.readString(file, StandardCharsets.US_ASCII), "key file " + file);
    }

    /** Creates a new random key file with mode 0600; refuses to overwrite an existing one. */
    public static MasterKey create(Path file) throws IOException {
        byte[] key = new byte[BYTES];
        new SecureRandom().nextBytes(key);
        Files.createDirectories(file.toAbsolutePath().getParent());
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            Arrays.fill(key, (byte) 0);
            throw new MasterKeyException("master key file " + file + " already exists: refusing to overwrite it");
        }
        Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII,
                StandardOpenOption.TRUNCATE_EXISTING);
        return new MasterKey(key, "key file " + file);
    }

    /** {@code LIKENESS_MASTER_KEY} when set, else the key file. */
    public static MasterKey resolve(Path keyFile, Map<String, String> env) throws IOException {
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromBase64(fromEnv, "environment variable " + ENV);
        }
        return load(keyFile);
    }

    /** A random key that exists only in memory (tests, benchmarks). */
    public static MasterKey random() {
        byte[] key = new byte[BYTES];
        new SecureRandom().nextBytes(key);
        return new MasterKey(key, "memory");
    }

    byte[] bytes() {
        return key;
    }

    String origin() {
        return origin;
    }

    @Override
    public void close() {
        Arrays.fill(key, (byte) 0);
    }

    @Override
    public String toString() {
        return "MasterKey[" + origin + "]";
    }
}
