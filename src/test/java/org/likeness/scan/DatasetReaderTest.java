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
    void folderIsWalkedInSortedOrderWithHiddenFilesAndLinksSkipped() throws IOException {
        Files.createDirectories(tmp.resolve("b/c"));
        Files.write(tmp.resolve("b/c/2.jpg"), new byte[]{2});
        Files.write(tmp.resolve("a.jpg"), new byte[]{1});
        Files.write(tmp.resolve(".hidden"), new byte[]{9});
        Files.createSymbolicLink(tmp.resolve("link.jpg"), Path.of("/etc/passwd"));
        List<DatasetEntry> es = readAll(tmp);
        assertThat(es).extracting(DatasetEntry::path).containsExactly("a.jpg", "b/c/2.jpg");
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
        assertThat(es.get(es.size() - 1).error()).contains("corrupt or truncated");
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
