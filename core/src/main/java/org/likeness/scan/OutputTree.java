package org.likeness.scan;

import org.likeness.model.Sha256;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

/**
 * Every write into an output tree (a redacted copy, a release, an audit report, a scan file) goes through here, so that
 * no symbolic link planted in the output and no alias of the input can make Likeness write where it must not
 * (docs/DECISIONS.md, "Writing output"):
 * <ul>
 *     <li>containment is decided on real paths (links resolved), never on the spelling of a path;</li>
 *     <li>below the output folder no link is followed: every folder is checked to be a real folder, temporary files are
 *     created exclusively ({@code O_EXCL} never follows a link), a link at the final name is refused, and the file is
 *     renamed into place atomically (a rename replaces a name, never writes through it);</li>
 *     <li>a name that cannot be written as it is (not valid UTF-8, {@code ..} or an empty component, too long) is refused with its
 *     reason ({@link RefusedName}), never rewritten into another name.</li>
 * </ul>
 */
public final class OutputTree {
    /** Longest file name in bytes on the file systems Likeness writes to (ext4, xfs, btrfs, tmpfs: NAME_MAX). */
    static final int NAME_MAX_BYTES = 255;
    /** Prefix of temporary files; with a 16-hex digest and ".tmp" it is 30 bytes, whatever the length of the final name. */
    public static final String TEMP_PREFIX = ".likeness-";
    static final String TEMP_SUFFIX = ".tmp";

    private OutputTree() {
    }

    /** A file name that cannot be written under its own name; the file is refused, the run goes on. */
    public static final class RefusedName extends IOException {
        private final String reason;

        public RefusedName(String path, String reason) {
            super(path + ": " + reason);
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }

    /**
     * The real location of a path that may not exist yet: its deepest existing ancestor with every link resolved, and
     * the rest of the path appended.
     */
    public static Path real(Path p) throws IOException {
        Path abs = p.toAbsolutePath().normalize();
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return abs;
        }
        return existing.toRealPath().resolve(existing.relativize(abs)).normalize();
    }

    /**
     * Refuses an output that would lie inside the input (or be the input), comparing real paths, so that an alias of
     * the dataset (a link to it or to a folder above it) is caught.
     *
     * @param what what the output is, for the message ("the copy", "the report")
     */
    public static void checkOutside(Path input, Path out, String what) throws IOException {
        if (!Files.exists(input)) {
            return;
        }
        Path in = input.toRealPath();
        Path o = real(out);
        if (Files.isDirectory(in) ? o.startsWith(in) : o.equals(in)) {
            throw new IOException(out + ": " + what + " cannot be written inside the dataset it reads (" + input
                    + (in.equals(input.toAbsolutePath().normalize()) ? "" : ", really " + in)
                    + (o.equals(out.toAbsolutePath().normalize()) ? "" : "; the output is really " + o) + ")");
        }
    }

    /** Why a dataset path cannot be written as the same name anywhere (an archive entry included), or null. */
    public static String nameRefusal(String path) {
        if (path.indexOf('\0') >= 0) {
            return "name contains a NUL byte";
        }
        if (path.indexOf('\uFFFD') >= 0) {
            return "name is not valid UTF-8 (its bytes were replaced when read)";
        }
        return null;
    }

    /** Why a dataset path cannot be written under its own name below an output folder, or null when it can. */
    public static String refusal(String path) {
        if (path.isEmpty() || path.startsWith("/")) {
            return "not a relative file name";
        }
        String name = nameRefusal(path);
        if (name != null) {
            return name;
        }
        for (String part : path.split("/", -1)) {
            if (part.isEmpty() || part.equals("..")) {
                return "unsafe name: empty or '..' component";
            }
            if (part.getBytes(StandardCharsets.UTF_8).length > NAME_MAX_BYTES) {
                return "name component longer than " + NAME_MAX_BYTES + " bytes";
            }
            if (part.startsWith(TEMP_PREFIX) && part.endsWith(TEMP_SUFFIX)) {
                return "name reserved for Likeness's temporary files";
            }
        }
        return null;
    }

    /** Where a dataset path goes below {@code root}, refusing names that cannot be written as they are. */
    public static Path resolve(Path root, String path) throws RefusedName {
        String why = refusal(path);
        if (why != null) {
            throw new RefusedName(path, why);
        }
        Path target = root.resolve(path).normalize();
        if (!target.startsWith(root.normalize()) || target.equals(root.normalize())) {
            throw new RefusedName(path, "refusing a path outside " + root);
        }
        return target;
    }

    /**
     * Writes {@code bytes} at {@code path} below {@code root}, creating folders as needed, following no link below
     * {@code root}.
     */
    public static void write(Path root, String path, byte[] bytes) throws IOException {
        Path target = resolve(root, path);
        makeFolders(root, target.getParent());
        writeFile(target, bytes);
    }

    /**
     * Writes one file atomically in an existing folder: a short temporary name created exclusively in the same
     * folder, then renamed over the target, which must not be a link or a folder.
     */
    public static void writeFile(Path target, byte[] bytes) throws IOException {
        Temp tmp = openTemp(target);
        try (OutputStream o = tmp.out()) {
            o.write(bytes);
        } catch (IOException e) {
            Files.deleteIfExists(tmp.path());
            throw e;
        }
        commit(tmp.path(), target);
    }

    /** A temporary file being written beside its target. */
    public record Temp(Path path, OutputStream out) {
    }

    /**
     * A temporary file beside {@code target}, created and opened in one exclusive open ({@code O_EXCL} never follows a
     * link); one left by a killed run (or a link planted at its name) is removed and the open retried.
     */
    public static Temp openTemp(Path target) throws IOException {
        Path tmp = target.resolveSibling(tempName(target.getFileName().toString()));
        try {
            return new Temp(tmp, Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
        } catch (FileAlreadyExistsException leftover) {
            Files.delete(tmp); // removes the name only: nothing a link points to is touched
            return new Temp(tmp, Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
        }
    }

    /** The temporary name used for a file name: short, whatever the length of the name, and the same on every run. */
    public static String tempName(String fileName) {
        return TEMP_PREFIX + Sha256.of(fileName.getBytes(StandardCharsets.UTF_8)).substring(0, 16) + TEMP_SUFFIX;
    }

    /** Renames a finished temporary file over {@code target}; refuses a target that is a link or a folder. */
    public static void commit(Path tmp, Path target) throws IOException {
        if (Files.isSymbolicLink(target)) {
            Files.deleteIfExists(tmp);
            throw new RefusedName(target.toString(), "is a symbolic link in the output; refusing to write through it");
        }
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            Files.deleteIfExists(tmp);
            throw new RefusedName(target.toString(), "is a folder in the output");
        }
        try {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Creates the folders from {@code root} down to {@code dir}, refusing any existing one that is a link or a file. */
    public static void makeFolders(Path root, Path dir) throws IOException {
        Path r = root.normalize();
        Path d = dir.normalize();
        if (!d.startsWith(r)) {
            throw new IOException(dir + ": outside " + root);
        }
        Files.createDirectories(r);
        Path at = r;
        for (Path part : r.relativize(d)) {
            if (part.toString().isEmpty()) {
                continue;
            }
            at = at.resolve(part);
            if (Files.isSymbolicLink(at)) {
                throw new RefusedName(r.relativize(at).toString(), "is a symbolic link in the output; refusing to write through it");
            }
            if (!Files.isDirectory(at, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.createDirectory(at);
                } catch (FileAlreadyExistsException e) {
                    // another worker may have made it meanwhile: only a real folder will do
                    if (Files.isSymbolicLink(at)) {
                        throw new RefusedName(r.relativize(at).toString(), "is a symbolic link in the output; refusing to write through it");
                    }
                    if (!Files.isDirectory(at, LinkOption.NOFOLLOW_LINKS)) {
                        throw new RefusedName(r.relativize(at).toString(), "a file of that name is in the output where a folder is needed");
                    }
                }
            }
        }
    }

    /** Whether {@code p} is a regular file itself (not a link to one). */
    public static boolean isPlainFile(Path p) {
        return Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS);
    }

    /** Removes temporary files a killed run left below {@code root} (never following a link). */
    public static void sweepTemps(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith(TEMP_PREFIX) && n.endsWith(TEMP_SUFFIX);
            }).toList()) {
                try {
                    Files.deleteIfExists(p);
                } catch (NoSuchFileException gone) {
                    // removed meanwhile
                }
            }
        }
    }
}
