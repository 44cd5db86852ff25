package org.likeness.redact;

import org.apache.commons.compress.archivers.ArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.likeness.model.Sha256;
import org.likeness.scan.DatasetEntry;
import org.likeness.scan.DatasetReader;
import org.likeness.scan.OutputTree;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where the files of a copy go. A folder (or single image) is copied file by file into OUT; an archive is written as an
 * archive of the same kind and name in OUT, from the input's unchanged entries and the redacted ones staged on disk.
 */
abstract class CopyLayout {
    /** Entry times in written archives: fixed, so two runs write the same bytes (2026-01-01T00:00Z). */
    static final long ARCHIVE_ENTRY_TIME_MS = 1_767_225_600_000L;

    abstract void put(String path, byte[] bytes, boolean changed) throws IOException;

    /** Whether the copy already holds what a journalled entry says was written. */
    abstract boolean holds(ManifestEntry e) throws IOException;

    abstract void finish(Path dataset, List<ManifestEntry> entries) throws IOException;

    static CopyLayout of(Path dataset, Path out) {
        String n = dataset.getFileName().toString().toLowerCase(Locale.ROOT);
        if (Files.isRegularFile(dataset) && (n.endsWith(".zip") || n.endsWith(".tar") || n.endsWith(".tar.gz") || n.endsWith(".tgz"))) {
            return new ArchiveCopy(out, dataset.getFileName().toString());
        }
        return new FolderCopy(out);
    }

    static boolean matches(Path file, String sha256) throws IOException {
        return OutputTree.isPlainFile(file) && Sha256.of(file).equals(sha256);
    }

    /** A folder in, a folder out: every file of the copy written where it was. */
    static final class FolderCopy extends CopyLayout {
        private final Path out;

        FolderCopy(Path out) {
            this.out = out;
        }

        @Override
        void put(String path, byte[] bytes, boolean changed) throws IOException {
            OutputTree.write(out, path, bytes);
        }

        @Override
        boolean holds(ManifestEntry e) throws IOException {
            return !e.inCopy() || matches(OutputTree.resolve(out, e.path()), e.sha256After());
        }

        @Override
        void finish(Path dataset, List<ManifestEntry> entries) {
        }
    }

    /**
     * An archive in, the same kind of archive out; redacted entries wait in a staging folder until the end, each under
     * the digest of its path (entry names need not be valid file names: only the archive holds them).
     */
    static final class ArchiveCopy extends CopyLayout {
        private final Path out;
        private final String name;
        private final Path staging;

        ArchiveCopy(Path out, String name) {
            this.out = out;
            this.name = name;
            this.staging = out.resolve(RedactionJournal.WORK_DIR).resolve("staging");
        }

        @Override
        void put(String path, byte[] bytes, boolean changed) throws IOException {
            String why = OutputTree.nameRefusal(path);
            if (why != null) {
                throw new OutputTree.RefusedName(path, why);
            }
            if (changed) {
                OutputTree.write(staging, staged(path), bytes);
            }
        }

        @Override
        boolean holds(ManifestEntry e) throws IOException {
            return !ManifestEntry.REDACTED.equals(e.action()) || matches(staging.resolve(staged(e.path())), e.sha256After());
        }

        private static String staged(String path) {
            return Sha256.of(path.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        @Override
        void finish(Path dataset, List<ManifestEntry> entries) throws IOException {
            Map<String, ManifestEntry> byPath = new HashMap<>();
            entries.forEach(e -> byPath.put(e.path(), e));
            Path target = out.resolve(name);
            OutputTree.Temp tmp = OutputTree.openTemp(target);
            try (OutputStream file = new BufferedOutputStream(tmp.out());
                 ArchiveOutputStream<?> archive = open(file);
                 DatasetReader reader = DatasetReader.open(dataset)) {
                while (reader.hasNext()) {
                    DatasetEntry in = reader.next();
                    ManifestEntry e = byPath.get(in.path());
                    if (e == null || !e.inCopy()) {
                        continue;
                    }
                    byte[] bytes = ManifestEntry.REDACTED.equals(e.action()) ? Files.readAllBytes(staging.resolve(staged(e.path()))) : in.bytes();
                    if (bytes == null || !Sha256.of(bytes).equals(e.sha256After())) {
                        throw new IOException(dataset + "!" + in.path() + ": changed while the copy was written; run redact again");
                    }
                    write(archive, in.path(), bytes);
                }
                archive.finish();
            }
            OutputTree.commit(tmp.path(), target);
        }

        private ArchiveOutputStream<?> open(OutputStream file) throws IOException {
            String n = name.toLowerCase(Locale.ROOT);
            if (n.endsWith(".zip")) {
                return new ZipArchiveOutputStream(file);
            }
            OutputStream raw = n.endsWith(".tar") ? file : new GzipCompressorOutputStream(file);
            TarArchiveOutputStream tar = new TarArchiveOutputStream(raw);
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            return tar;
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private static void write(ArchiveOutputStream archive, String path, byte[] bytes) throws IOException {
            if (archive instanceof ZipArchiveOutputStream) {
                ZipArchiveEntry z = new ZipArchiveEntry(path);
                z.setTime(ARCHIVE_ENTRY_TIME_MS);
                z.setSize(bytes.length);
                archive.putArchiveEntry(z);
            } else {
                TarArchiveEntry t = new TarArchiveEntry(path);
                t.setModTime(ARCHIVE_ENTRY_TIME_MS);
                t.setSize(bytes.length);
                archive.putArchiveEntry(t);
            }
            archive.write(bytes);
            archive.closeArchiveEntry();
        }
    }
}
