package org.likeness.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files that hold personal data (the registry database, key files, key store, head file, audit caches and reports):
 * folders created 0700, files 0600, whatever the umask. On a file system without POSIX permissions nothing is changed.
 */
public final class PrivateFiles {
    private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private PrivateFiles() {
    }

    /** Creates the folder and any missing parents; the folder itself is made 0700 (parents that existed are left alone). */
    public static Path createDirectories(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath();
        Path first = abs;
        while (first.getParent() != null && !Files.exists(first.getParent())) {
            first = first.getParent();
        }
        Files.createDirectories(abs);
        for (Path p = abs; p != null && p.startsWith(first); p = p.getParent()) {
            setPermissions(p, DIR);
        }
        setPermissions(abs, DIR);
        return dir;
    }

    /** Makes an existing file 0600 (or a folder 0700). */
    public static void restrict(Path p) throws IOException {
        setPermissions(p, Files.isDirectory(p) ? DIR : FILE);
    }

    /** Writes the bytes to a new or truncated file of mode 0600 and forces them to disk. */
    public static void writeDurably(Path file, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            restrict(file);
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
    }

    /** Forces a rename in the folder to disk (best effort where the platform cannot open folders). */
    public static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not supported on this platform: the rename is still atomic
        }
    }

    private static void setPermissions(Path p, Set<PosixFilePermission> perms) throws IOException {
        try {
            Files.setPosixFilePermissions(p, perms);
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        }
    }
}
