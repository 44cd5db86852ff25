package org.likeness.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Temporary scan files (plain embeddings of every face, e.g. while `collection add` registers a dataset) live in
 * {@code $LIKENESS_HOME/scratch} (0700, files 0600), named after the process that writes them, never in the system
 * temp folder: a run killed before it deletes its file would leave the faces where no erasure looks. An erasure
 * destroys the files of processes that are gone ({@link #destroyLeftovers}); a running process deletes its own.
 */
public final class ScratchFiles {
    private static final Pattern NAME = Pattern.compile("scan-(\\d+)-\\d+\\.jsonl\\.gz");

    private ScratchFiles() {
    }

    public static Path dir(Path home) {
        return home.resolve("scratch");
    }

    /** A new empty 0600 file {@code scan-PID-N.jsonl.gz} in the scratch folder. */
    public static Path create(Path home) throws IOException {
        Path dir = PrivateFiles.createDirectories(dir(home));
        PrivateFiles.restrict(dir);
        Path f = Files.createTempFile(dir, "scan-" + ProcessHandle.current().pid() + "-", ".jsonl.gz");
        PrivateFiles.restrict(f);
        return f;
    }

    /** Overwrites with zeros, forces to disk and deletes every scratch file whose process no longer runs; how many. */
    public static int destroyLeftovers(Path home) throws IOException {
        Path dir = dir(home);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        int destroyed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                Matcher m = NAME.matcher(f.getFileName().toString());
                if (!m.matches() || !Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                long pid = Long.parseLong(m.group(1));
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                overwriteAndDelete(f);
                destroyed++;
            }
        }
        return destroyed;
    }

    /** Zeros over the whole file, forced to disk, then the file deleted (the link is never followed). */
    public static void overwriteAndDelete(Path f) throws IOException {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            long size = ch.size();
            ByteBuffer zeros = ByteBuffer.allocate(64 * 1024);
            for (long at = 0; at < size; ) {
                zeros.clear();
                zeros.limit((int) Math.min(zeros.capacity(), size - at));
                at += ch.write(zeros, at);
            }
            ch.force(true);
        }
        Files.delete(f);
    }
}
