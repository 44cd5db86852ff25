package org.likeness.serve;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.likeness.files.PrivateFiles;

/**
 * The upload spool: request bodies are streamed to owner-only files under one folder, never held in memory whole, and
 * stopped at the size cap (the caller answers 413). Files are deleted by whoever spooled them.
 */
public final class Uploads {
    private static final int BUFFER = 64 * 1024;
    private final Path dir;
    private final long max;

    public Uploads(Path dir, long max) throws IOException {
        this.dir = PrivateFiles.createDirectories(dir);
        this.max = max;
    }

    public long max() {
        return max;
    }

    public Path dir() {
        return dir;
    }

    /** Copies a stream into a new spool file, refusing (and deleting it) past {@code budget} bytes. */
    public Path spool(InputStream in, long budget, String what) throws IOException {
        Path f = Files.createTempFile(dir, "upload-", ".part");
        PrivateFiles.restrict(f);
        boolean ok = false;
        try (OutputStream out = Files.newOutputStream(f, StandardOpenOption.TRUNCATE_EXISTING)) {
            byte[] buf = new byte[BUFFER];
            long total = 0;
            for (int n; (n = in.read(buf)) > 0; ) {
                total += n;
                if (total > budget) {
                    throw new Problem(Problem.Kind.TOO_LARGE, what + " is larger than the server accepts (--max-upload "
                            + max + " bytes)");
                }
                out.write(buf, 0, n);
            }
            ok = true;
            return f;
        } finally {
            if (!ok) {
                Files.deleteIfExists(f);
            }
        }
    }

    public static void delete(Iterable<Path> files) {
        for (Path p : files) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // the spool folder is emptied at the next start
            }
        }
    }

    /** Removes what a killed server left in the spool. */
    public void clean() throws IOException {
        try (var s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (Files.isRegularFile(p)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
