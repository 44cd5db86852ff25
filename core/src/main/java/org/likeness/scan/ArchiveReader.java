package org.likeness.scan;

import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Streams the files of a .zip, .tar or .tar.gz. Unsafe entries (absolute paths, {@code ..}, bombs, duplicates) are
 * returned as failed entries with the reason; nothing is ever extracted to disk.
 */
final class ArchiveReader implements DatasetReader {
    /**
     * A zip entry may expand at most this many times its compressed size (photos barely compress: JPEG ≈ 1.0×,
     * PNG ≤ 3×; zip-bomb detectors commonly flag ratios above 100, e.g. Apache POI's ZipSecureFile uses 1/0.01).
     */
    static final long MAX_EXPANSION_RATIO = 100;
    /** Entries smaller than this are never flagged by the ratio test (tiny files compress well). */
    static final long RATIO_EXEMPT_BYTES = 1 << 20;

    enum Kind { ZIP, TAR, TAR_GZ }

    private final Path archive;
    private final Set<String> seen = new HashSet<>();
    private ZipFile zip;
    private Enumeration<ZipArchiveEntry> zipEntries;
    private ArchiveInputStream<? extends ArchiveEntry> tar;
    private long tarBytesRead;
    private final long archiveBytes;
    private final boolean plainTar;
    private DatasetEntry next;
    private boolean ended;

    ArchiveReader(Path archive, Kind kind) throws IOException {
        this.archive = archive;
        this.archiveBytes = Files.size(archive);
        this.plainTar = kind == Kind.TAR;
        try {
            if (kind == Kind.ZIP) {
                zip = ZipFile.builder().setPath(archive).setCharset(MarkedUtf8.INSTANCE).get();
                zipEntries = zip.getEntriesInPhysicalOrder();
            } else {
                InputStream in = new BufferedInputStream(Files.newInputStream(archive));
                tar = new TarArchiveInputStream(kind == Kind.TAR_GZ ? new GzipCompressorInputStream(in) : in, MarkedUtf8.NAME);
            }
        } catch (IOException e) {
            throw new IOException(archive + ": not a readable " + kind.name().toLowerCase().replace('_', '.') + " archive: " + describe(e), e);
        }
    }

    @Override
    public boolean hasNext() {
        while (next == null && !ended) {
            try {
                next = zip != null ? nextZip() : nextTar();
            } catch (IOException e) {
                ended = true;
                next = DatasetEntry.failed(archive.getFileName() + "!", "archive is corrupt or truncated after "
                        + seen.size() + " entries: " + describe(e));
            }
        }
        return next != null;
    }

    private DatasetEntry nextZip() throws IOException {
        while (zipEntries.hasMoreElements()) {
            ZipArchiveEntry e = zipEntries.nextElement();
            if (e.isDirectory()) {
                continue;
            }
            String bad = checkName(e.getName());
            if (bad != null) {
                return DatasetEntry.failed(e.getName(), bad);
            }
            if (e.isUnixSymlink()) {
                return DatasetEntry.failed(e.getName(), "symbolic link, not followed: not checked");
            }
            long limit = Math.min(MAX_ENTRY_BYTES, Math.max(RATIO_EXEMPT_BYTES, e.getCompressedSize() * MAX_EXPANSION_RATIO));
            if (e.getSize() > limit) {
                return DatasetEntry.failed(e.getName(), "zip bomb: declares " + e.getSize() + " bytes from " + e.getCompressedSize() + " compressed");
            }
            try (InputStream in = zip.getInputStream(e)) {
                byte[] bytes = readAtMost(in, limit);
                if (bytes == null) {
                    return DatasetEntry.failed(e.getName(), "zip bomb: expands beyond " + limit + " bytes from "
                            + e.getCompressedSize() + " compressed (ratio limit " + MAX_EXPANSION_RATIO + ")");
                }
                return DatasetEntry.ok(e.getName(), bytes);
            } catch (IOException ex) {
                return DatasetEntry.failed(e.getName(), "cannot read zip entry: " + describe(ex));
            }
        }
        ended = true;
        return null;
    }

    private DatasetEntry nextTar() throws IOException {
        ArchiveEntry e;
        while ((e = tar.getNextEntry()) != null) {
            if (e.isDirectory()) {
                continue;
            }
            String bad = checkName(e.getName());
            if (bad != null) {
                return DatasetEntry.failed(e.getName(), bad);
            }
            if (e instanceof TarArchiveEntry t && (t.isSymbolicLink() || t.isLink() || t.isFIFO() || t.isCharacterDevice()
                    || t.isBlockDevice() || !t.isFile())) {
                return DatasetEntry.failed(e.getName(), notAFile(t)); // never followed: each one is reported, not checked
            }
            if (e.getSize() > MAX_ENTRY_BYTES) {
                return DatasetEntry.failed(e.getName(), "entry of " + e.getSize() + " bytes exceeds the " + MAX_ENTRY_BYTES + "-byte limit");
            }
            byte[] bytes = readAtMost(tar, MAX_ENTRY_BYTES);
            tarBytesRead += bytes.length;
            if (tarBytesRead > Math.max(RATIO_EXEMPT_BYTES, archiveBytes * MAX_EXPANSION_RATIO)) {
                ended = true;
                return DatasetEntry.failed(e.getName(), "archive bomb: " + tarBytesRead + " bytes expanded from a "
                        + archiveBytes + "-byte archive (ratio limit " + MAX_EXPANSION_RATIO + "); stopped reading it");
            }
            return DatasetEntry.ok(e.getName(), bytes);
        }
        ended = true;
        if (plainTar && !hasEndMarker(archive)) {
            // the tar reader ends silently at a cut between members or inside a header: the missing marker says so
            return DatasetEntry.failed(archive.getFileName() + "!", "archive is truncated after " + seen.size()
                    + " entries: no end-of-archive marker (two zero blocks)");
        }
        return null;
    }

    /** A whole tar is a multiple of 512-byte blocks ending in at least two zero blocks (POSIX.1-1988 ustar). */
    static boolean hasEndMarker(Path tar) throws IOException {
        long size = Files.size(tar);
        if (size < 1024 || size % 512 != 0) {
            return false;
        }
        try (java.nio.channels.SeekableByteChannel ch = Files.newByteChannel(tar)) {
            java.nio.ByteBuffer last = java.nio.ByteBuffer.allocate(1024);
            ch.position(size - 1024);
            while (last.hasRemaining() && ch.read(last) > 0) {
                // fill
            }
            for (byte b : last.array()) {
                if (b != 0) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Why a tar entry that holds no file of its own is not checked. */
    private static String notAFile(TarArchiveEntry t) {
        if (t.isSymbolicLink()) {
            return "symbolic link to " + t.getLinkName() + ", not followed: not checked";
        }
        if (t.isLink()) {
            return "hard link to " + t.getLinkName() + ", not followed: not checked";
        }
        if (t.isFIFO()) {
            return "FIFO entry: not checked";
        }
        if (t.isCharacterDevice() || t.isBlockDevice()) {
            return "device entry: not checked";
        }
        return "not a regular file (tar entry type '" + (char) t.getLinkFlag() + "'): not checked";
    }

    /** An exception's message, or its kind when it has none (a cut gzip stream throws EOFException without one). */
    static String describe(IOException e) {
        String m = e.getMessage();
        if (e instanceof java.io.EOFException) {
            return "unexpected end of file" + (m == null ? "" : " (" + m + ")");
        }
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /** Null when the name is safe, else the reason. Also records it to catch duplicates. */
    private String checkName(String name) {
        String n = name.replace('\\', '/');
        if (n.startsWith("/") || n.matches("^[A-Za-z]:/.*")) {
            return "unsafe entry name: absolute path";
        }
        for (String part : n.split("/")) {
            if (part.equals("..")) {
                return "unsafe entry name: contains '..' (zip slip)";
            }
        }
        if (!seen.add(n)) {
            return "duplicate path in archive: only the first copy is scanned";
        }
        return null;
    }

    /** The stream's bytes, or null when there are more than {@code limit}. */
    private static byte[] readAtMost(InputStream in, long limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        long total = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
            total += n;
            if (total > limit) {
                return null;
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    @Override
    public DatasetEntry next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        DatasetEntry e = next;
        next = null;
        return e;
    }

    @Override
    public void close() throws IOException {
        if (zip != null) {
            zip.close();
        }
        if (tar != null) {
            tar.close();
        }
    }
}
