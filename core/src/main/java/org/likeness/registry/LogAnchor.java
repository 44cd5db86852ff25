package org.likeness.registry;

import org.likeness.files.PrivateFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The log head kept outside the database: a one-line file, MACed with a key derived from the master key, that records
 * the last log entry this machine saw committed. The database's log must contain that entry (it may have grown since,
 * through another process); a log that is shorter, or holds another entry at that place, means the database was
 * truncated or rolled back, and the registry refuses to open. Written atomically (temporary file, fsync, rename) after
 * every commit that appended, and only ever forwards.
 */
final class LogAnchor {
    private static final Pattern LINE = Pattern.compile(
            "likeness-log-head v1 registry=([0-9a-f-]{36}) seq=(\\d+) hash=([0-9a-f]{64}) mac=([0-9a-f]{64})\\s*");

    /** What the head file says. */
    record Head(String registryId, long seq, String hash) {
    }

    private final Path file;
    private final TemplateCipher cipher;
    private final String registryId;

    LogAnchor(Path file, TemplateCipher cipher, String registryId) {
        this.file = file;
        this.cipher = cipher;
        this.registryId = registryId;
    }

    Path file() {
        return file;
    }

    /** The head file of a registry: beside an H2 database file, else under $LIKENESS_HOME/registry/anchors. */
    static Path fileFor(RegistryLocation location, String registryId) {
        Path h2 = location.h2File();
        if (h2 != null) {
            return h2.resolveSibling(h2.getFileName() + ".head");
        }
        return location.home().resolve("registry").resolve("anchors").resolve(registryId + ".head");
    }

    /** The head recorded in the file, or null when there is none; a file that fails its MAC is refused. */
    Head read() {
        if (!Files.exists(file)) {
            return null;
        }
        String line;
        try {
            line = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new StorageException("log head file " + file + " cannot be read: " + e.getMessage(), e);
        }
        Matcher m = LINE.matcher(line);
        if (!m.matches()) {
            throw new TamperException("log head file " + file + " is not a Likeness head file (damaged or replaced)");
        }
        Head h = new Head(m.group(1), Long.parseLong(m.group(2)), m.group(3));
        if (!MessageDigest.isEqual(mac(h).getBytes(StandardCharsets.US_ASCII), m.group(4).getBytes(StandardCharsets.US_ASCII))) {
            throw new TamperException("log head file " + file + " fails its MAC: it was edited, or written with another master key");
        }
        if (!h.registryId().equals(registryId)) {
            throw new TamperException("log head file " + file + " belongs to registry " + h.registryId() + ", not to this one ("
                    + registryId + "): the database was replaced");
        }
        return h;
    }

    /** Moves the head file forward to the entry, never back; serialised between processes by a lock file. */
    synchronized void advance(long seq, String hash) {
        try {
            PrivateFiles.createDirectories(file.getParent());
            Path lock = file.resolveSibling(file.getFileName() + ".lock");
            try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = ch.lock()) {
                PrivateFiles.restrict(lock);
                Head current = read();
                if (current != null && current.seq() >= seq) {
                    return;
                }
                Head h = new Head(registryId, seq, hash);
                String line = "likeness-log-head v1 registry=" + registryId + " seq=" + seq + " hash=" + hash + " mac=" + mac(h) + "\n";
                Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
                PrivateFiles.writeDurably(tmp, line.getBytes(StandardCharsets.US_ASCII));
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                PrivateFiles.syncDirectory(file.getParent());
            }
        } catch (IOException e) {
            throw new StorageException("the change was committed, but the log head file " + file + " could not be updated: "
                    + e.getMessage() + " (the next open brings it forward)", e);
        }
    }

    /**
     * Sets the head file to the entry even when that moves it back: only {@link RegistryRestore} does this, after putting
     * an older copy of the database in place on purpose (and logging registry.restore).
     */
    synchronized void reset(long seq, String hash) {
        try {
            PrivateFiles.createDirectories(file.getParent());
            Path lock = file.resolveSibling(file.getFileName() + ".lock");
            try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = ch.lock()) {
                PrivateFiles.restrict(lock);
                Head h = new Head(registryId, seq, hash);
                String line = "likeness-log-head v1 registry=" + registryId + " seq=" + seq + " hash=" + hash + " mac=" + mac(h) + "\n";
                Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
                PrivateFiles.writeDurably(tmp, line.getBytes(StandardCharsets.US_ASCII));
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                PrivateFiles.syncDirectory(file.getParent());
            }
        } catch (IOException e) {
            throw new StorageException("the log head file " + file + " could not be set back to entry " + seq + ": "
                    + e.getMessage(), e);
        }
    }

    private String mac(Head h) {
        return cipher.mac("log-head", h.registryId() + "|" + h.seq() + "|" + h.hash());
    }
}
