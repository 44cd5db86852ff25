package org.likeness.scan;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

class DatasetReaderTest {
    @TempDir
    Path tmp;

    static List<DatasetEntry> readAll(Path p) throws IOException {
        List<DatasetEntry> out = new ArrayList<>();
        try (DatasetReader r = DatasetReader.open(p)) {
            r.forEachRemaining(out::add);
        }
        return out;
    }

    private static DatasetEntry byPath(List<DatasetEntry> es, String path) {
        return es.stream().filter(e -> e.path().equals(path)).findFirst().orElseThrow(() -> new AssertionError("no entry " + path));
    }

    @Test
    void folderIsWalkedInSortedOrderHiddenFilesReadAndLinksReportedNotFollowed() throws IOException {
        Files.createDirectories(tmp.resolve("b/c"));
        Files.createDirectories(tmp.resolve(".cache/deep"));
        Files.write(tmp.resolve("b/c/2.jpg"), new byte[]{2});
        Files.write(tmp.resolve("a.jpg"), new byte[]{1});
        Files.write(tmp.resolve(".hidden"), new byte[]{9});
        Files.write(tmp.resolve(".cache/deep/face.jpg"), new byte[]{7});
        Files.createSymbolicLink(tmp.resolve("link.jpg"), Path.of("/etc/passwd"));
        Files.createSymbolicLink(tmp.resolve("linked-folder"), tmp.resolve("b"));
        List<DatasetEntry> es = readAll(tmp);
        assertThat(es).extracting(DatasetEntry::path)
                .containsExactly(".cache/deep/face.jpg", ".hidden", "a.jpg", "b/c/2.jpg", "link.jpg", "linked-folder");
        assertThat(byPath(es, ".cache/deep/face.jpg").bytes()).containsExactly(7);
        assertThat(byPath(es, ".hidden").bytes()).containsExactly(9);
        assertThat(byPath(es, "link.jpg").error()).isEqualTo("symbolic link, not followed: not checked");
        assertThat(byPath(es, "linked-folder").error()).isEqualTo("symbolic link, not followed: not checked");
    }

    @Test
    void hiddenEntriesOfAZipAreReadAndItsSymlinksReported() throws IOException {
        Path zip = tmp.resolve("set.zip");
        try (org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream z =
                     new org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream(zip.toFile())) {
            org.apache.commons.compress.archivers.zip.ZipArchiveEntry hidden =
                    new org.apache.commons.compress.archivers.zip.ZipArchiveEntry(".hidden/face.jpg");
            z.putArchiveEntry(hidden);
            z.write(new byte[]{5});
            z.closeArchiveEntry();
            org.apache.commons.compress.archivers.zip.ZipArchiveEntry link =
                    new org.apache.commons.compress.archivers.zip.ZipArchiveEntry("link.jpg");
            link.setUnixMode(0120777);
            z.putArchiveEntry(link);
            z.write("/etc/passwd".getBytes());
            z.closeArchiveEntry();
        }
        List<DatasetEntry> es = readAll(zip);
        assertThat(byPath(es, ".hidden/face.jpg").bytes()).containsExactly(5);
        assertThat(byPath(es, "link.jpg").error()).isEqualTo("symbolic link, not followed: not checked");
    }

    @Test
    void linksAndSpecialEntriesOfATarAreReportedNotSkipped() throws IOException {
        Path tar = tmp.resolve("set.tar");
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(Files.newOutputStream(tar))) {
            TarArchiveEntry hidden = new TarArchiveEntry(".hidden.jpg");
            hidden.setSize(1);
            t.putArchiveEntry(hidden);
            t.write(new byte[]{3});
            t.closeArchiveEntry();
            TarArchiveEntry link = new TarArchiveEntry("face.jpg", TarArchiveEntry.LF_SYMLINK);
            link.setLinkName("/etc/passwd");
            t.putArchiveEntry(link);
            t.closeArchiveEntry();
            TarArchiveEntry hard = new TarArchiveEntry("again.jpg", TarArchiveEntry.LF_LINK);
            hard.setLinkName(".hidden.jpg");
            t.putArchiveEntry(hard);
            t.closeArchiveEntry();
            TarArchiveEntry fifo = new TarArchiveEntry("pipe.jpg", TarArchiveEntry.LF_FIFO);
            t.putArchiveEntry(fifo);
            t.closeArchiveEntry();
        }
        List<DatasetEntry> es = readAll(tar);
        assertThat(es).extracting(DatasetEntry::path).containsExactly(".hidden.jpg", "face.jpg", "again.jpg", "pipe.jpg");
        assertThat(byPath(es, ".hidden.jpg").bytes()).containsExactly(3);
        assertThat(byPath(es, "face.jpg").error()).isEqualTo("symbolic link to /etc/passwd, not followed: not checked");
        assertThat(byPath(es, "again.jpg").error()).isEqualTo("hard link to .hidden.jpg, not followed: not checked");
        assertThat(byPath(es, "pipe.jpg").error()).isEqualTo("FIFO entry: not checked");
    }

    @Test
    void listedDevicesAndFifosAreRefusedUnread() throws Exception {
        Path fifo = tmp.resolve("pipe.jpg");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(p.waitFor() == 0, "skipped: mkfifo unavailable");
        Files.write(tmp.resolve("ok.jpg"), new byte[]{1});
        List<DatasetEntry> es = new ArrayList<>();
        try (DatasetReader r = DatasetReader.ofFiles(tmp, List.of("/dev/zero", "pipe.jpg", "ok.jpg", "."))) {
            r.forEachRemaining(es::add); // returns at once: neither the endless device nor the FIFO is opened
        }
        assertThat(es.get(0).error()).isEqualTo("not a regular file (FIFO, socket or device): not checked");
        assertThat(es.get(1).error()).isEqualTo("not a regular file (FIFO, socket or device): not checked");
        assertThat(es.get(2).bytes()).containsExactly(1);
        assertThat(es.get(3).error()).isEqualTo("a folder, not a file: not checked");
    }

    @Test
    void zipSlipAndAbsoluteNamesAreReportedNotRead() throws IOException {
        Path zip = tmp.resolve("evil.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (String n : new String[]{"ok/fine.jpg", "../../etc/evil.jpg", "/abs/evil.jpg", "ok/fine.jpg".replace("fine", "other")}) {
                z.putNextEntry(new ZipEntry(n));
                z.write(new byte[]{1, 2, 3});
                z.closeEntry();
            }
        }
        List<DatasetEntry> es = readAll(zip);
        assertThat(byPath(es, "ok/fine.jpg").bytes()).containsExactly(1, 2, 3);
        assertThat(byPath(es, "../../etc/evil.jpg").error()).contains("zip slip");
        assertThat(byPath(es, "/abs/evil.jpg").error()).contains("absolute path");
        assertThat(es).hasSize(4);
    }

    @Test
    void zipBombEntryIsRefused() throws IOException {
        Path zip = tmp.resolve("bomb.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip))) {
            z.putNextEntry(new ZipEntry("bomb.jpg"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) {
                z.write(zeros); // 64 MB of zeros: ~64 KB compressed, ratio ~1000
            }
            z.closeEntry();
            z.putNextEntry(new ZipEntry("after.jpg"));
            z.write(new byte[]{7});
            z.closeEntry();
        }
        assertThat(Files.size(zip)).isLessThan(1 << 20);
        List<DatasetEntry> es = readAll(zip);
        assertThat(byPath(es, "bomb.jpg").error()).contains("zip bomb");
        assertThat(byPath(es, "after.jpg").bytes()).containsExactly(7);
    }

    @Test
    void tarGzIsStreamedAndDuplicatesReported() throws IOException {
        Path tgz = tmp.resolve("set.tar.gz");
        try (OutputStream fo = Files.newOutputStream(tgz);
             TarArchiveOutputStream t = new TarArchiveOutputStream(new GzipCompressorOutputStream(fo))) {
            for (String n : new String[]{"p/1.jpg", "p/2.jpg", "p/1.jpg"}) {
                TarArchiveEntry e = new TarArchiveEntry(n);
                e.setSize(2);
                t.putArchiveEntry(e);
                t.write(new byte[]{4, 5});
                t.closeArchiveEntry();
            }
        }
        List<DatasetEntry> es = readAll(tgz);
        assertThat(es).extracting(DatasetEntry::path).containsExactly("p/1.jpg", "p/2.jpg", "p/1.jpg");
        assertThat(es.get(0).bytes()).containsExactly(4, 5);
        assertThat(es.get(2).error()).contains("duplicate path");
    }

    @Test
    void truncatedArchiveEndsWithAFailureEntry() throws IOException {
        Path tgz = tmp.resolve("cut.tar.gz");
        try (OutputStream fo = Files.newOutputStream(tgz);
             TarArchiveOutputStream t = new TarArchiveOutputStream(new GzipCompressorOutputStream(fo))) {
            for (int i = 0; i < 20; i++) {
                TarArchiveEntry e = new TarArchiveEntry("f" + i + ".jpg");
                byte[] data = new byte[10_000];
                new java.util.Random(i).nextBytes(data);
                e.setSize(data.length);
                t.putArchiveEntry(e);
                t.write(data);
                t.closeArchiveEntry();
            }
        }
        byte[] all = Files.readAllBytes(tgz);
        Files.write(tgz, java.util.Arrays.copyOf(all, all.length / 2));
        List<DatasetEntry> es = readAll(tgz);
        assertThat(es.get(es.size() - 1).error()).contains("corrupt or truncated").doesNotContain("null")
                .endsWith("unexpected end of file");
        assertThat(es.stream().filter(e -> e.error() == null).count()).isGreaterThan(3);
    }

    @Test
    void namedPipeIsReportedInsteadOfBlockingTheScan() throws Exception {
        Path fifo = tmp.resolve("pipe.jpg");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(p.waitFor() == 0, "skipped: mkfifo unavailable");
        assertThat(readAll(tmp).get(0).error()).contains("not a regular file");
    }

    @Test
    void unreadableFileIsAFailedEntry() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeFalse("root".equals(System.getProperty("user.name")),
                "skipped: running as root, which reads files whatever their permissions");
        Path f = tmp.resolve("secret.jpg");
        Files.write(f, new byte[]{1});
        f.toFile().setReadable(false, false);
        assertThat(readAll(tmp).get(0).error()).contains("permission denied");
    }
}
