package org.likeness.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.Models;
import org.likeness.SharedData;
import org.likeness.scan.ScanFile;
import org.likeness.scan.ScanHeader;
import org.likeness.scan.ScanRecord;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

class ScanCommandTest {
    @TempDir
    Path tmp;

    private Path dataset(int photos) throws Exception {
        Path lfw = SharedData.require("lfw-dev/images");
        Models.store();
        Path d = tmp.resolve("set");
        Files.createDirectories(d.resolve("people"));
        String[] names = {"Aaron_Peirsol/Aaron_Peirsol_0001.jpg", "Aaron_Peirsol/Aaron_Peirsol_0002.jpg", "AJ_Cook/AJ_Cook_0001.jpg"};
        for (int i = 0; i < photos; i++) {
            Files.copy(lfw.resolve(names[i]), d.resolve("people/p" + i + ".jpg"));
        }
        return d;
    }

    private static int run(String... args) {
        return QuietCli.run(args);
    }

    @Test
    void badFilesAreReportedOneLineEachAndTheScanGoesOn() throws Exception {
        Path d = dataset(2);
        byte[] jpg = Files.readAllBytes(d.resolve("people/p0.jpg"));
        Files.write(d.resolve("empty.jpg"), new byte[0]);
        Files.write(d.resolve("cut.jpg"), Arrays.copyOf(jpg, jpg.length / 3));
        Files.writeString(d.resolve("readme.txt"), "not a photo");
        Path out = tmp.resolve("out.jsonl.gz");
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        PrintStream err = System.err;
        System.setErr(new PrintStream(errBytes, true));
        int code;
        try {
            code = Main.run("scan", d.toString(), "-o", out.toString(), "--no-progress");
        } finally {
            System.setErr(err);
        }
        assertThat(code).isEqualTo(ExitCodes.SOME_FAILED);
        Map<String, ScanRecord> recs = ScanFile.readAll(out).stream().collect(Collectors.toMap(ScanRecord::path, Function.identity()));
        assertThat(recs).hasSize(5);
        assertThat(recs.get("empty.jpg").error()).isEqualTo("empty file (0 bytes)");
        assertThat(recs.get("cut.jpg").error()).contains("truncated JPEG");
        assertThat(recs.get("readme.txt").error()).contains("not an image");
        assertThat(recs.get("people/p0.jpg").faces()).isNotEmpty();
        assertThat(recs.get("people/p0.jpg").sha256()).hasSize(64);
        assertThat(recs.get("people/p0.jpg").pdq()).matches("[0-9a-f]{64}");
        assertThat(recs.get("people/p0.jpg").pdqQuality()).isBetween(50, 100);
        assertThat(recs.get("empty.jpg").pdq()).isNull();
        String errText = errBytes.toString();
        assertThat(errText.lines().filter(l -> l.startsWith("likeness: ")).toList())
                .containsExactlyInAnyOrder("likeness: cut.jpg: truncated JPEG (no end-of-image marker after the scan data)",
                        "likeness: empty.jpg: empty file (0 bytes)",
                        "likeness: readme.txt: not an image (unrecognised file signature)");
        ScanHeader h = ScanFile.readHeader(out);
        assertThat(h.embedder()).isEqualTo(Models.pipeline().embedderId());
    }

    @Test
    void zipDatasetWithHostileEntriesScansTheGoodOnes() throws Exception {
        Path d = dataset(1);
        Path zip = tmp.resolve("set.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (String n : new String[]{"a/p0.jpg", "../escape.jpg", "/etc/abs.jpg"}) {
                z.putNextEntry(new ZipEntry(n));
                z.write(Files.readAllBytes(d.resolve("people/p0.jpg")));
                z.closeEntry();
            }
        }
        Path out = tmp.resolve("zip.jsonl");
        assertThat(run("scan", zip.toString(), "-o", out.toString(), "--no-progress")).isEqualTo(ExitCodes.SOME_FAILED);
        List<ScanRecord> recs = ScanFile.readAll(out);
        assertThat(recs).extracting(ScanRecord::path).containsExactly("a/p0.jpg", "../escape.jpg", "/etc/abs.jpg");
        assertThat(recs.get(0).faces()).isNotEmpty();
        assertThat(recs.get(1).error()).contains("zip slip");
        assertThat(recs.get(2).error()).contains("absolute");
    }

    @Test
    void resumeScansOnlyWhatIsMissingAndKeepsTheRest() throws Exception {
        Path d = dataset(3);
        Path out = tmp.resolve("r.jsonl.gz");
        Path p2 = d.resolve("people/p2.jpg");
        Path aside = tmp.resolve("p2.jpg");
        Files.move(p2, aside);
        assertThat(run("scan", d.toString(), "-o", out.toString(), "--no-progress")).isEqualTo(ExitCodes.OK);
        List<ScanRecord> first = ScanFile.readAll(out);
        assertThat(first).hasSize(2);
        Files.move(aside, p2);
        assertThat(run("scan", d.toString(), "-o", out.toString(), "--resume", "--no-progress")).isEqualTo(ExitCodes.OK);
        List<ScanRecord> all = ScanFile.readAll(out);
        assertThat(all).extracting(ScanRecord::path).containsExactly("people/p0.jpg", "people/p1.jpg", "people/p2.jpg");
        assertThat(all.get(0).faces().get(0).embedding()).isEqualTo(first.get(0).faces().get(0).embedding());
    }

    @Test
    void resumeReusesRecordsByContentNotByName() throws Exception {
        Path d = dataset(3);
        Path out = tmp.resolve("s.jsonl.gz");
        assertThat(run("scan", d.toString(), "-o", out.toString(), "--no-progress")).isEqualTo(ExitCodes.OK);
        // mark p0's stored record so that a reused record can be told from a fresh scan of the same bytes
        List<String> lines = new java.util.ArrayList<>();
        try (java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(
                new java.util.zip.GZIPInputStream(Files.newInputStream(out)), java.nio.charset.StandardCharsets.UTF_8))) {
            r.lines().forEach(l -> lines.add(l.contains("\"people/p0.jpg\"") ? l.replaceFirst("\"width\":\\d+", "\"width\":4321") : l));
        }
        try (java.io.Writer w = new java.io.OutputStreamWriter(new java.util.zip.GZIPOutputStream(Files.newOutputStream(out)),
                java.nio.charset.StandardCharsets.UTF_8)) {
            for (String l : lines) {
                w.write(l + "\n");
            }
        }
        Files.move(d.resolve("people/p0.jpg"), d.resolve("people/renamed.jpg"));
        Files.copy(SharedData.require("lfw-dev/images").resolve("AJ_Cook/AJ_Cook_0001.jpg"), d.resolve("people/p1.jpg"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.delete(d.resolve("people/p2.jpg"));
        assertThat(run("scan", d.toString(), "-o", out.toString(), "--resume", "--no-progress")).isEqualTo(ExitCodes.OK);
        Map<String, ScanRecord> now = ScanFile.readAll(out).stream().collect(Collectors.toMap(ScanRecord::path, Function.identity()));
        assertThat(now.keySet()).as("the deleted file's record is dropped").containsExactlyInAnyOrder("people/renamed.jpg", "people/p1.jpg");
        assertThat(now.get("people/renamed.jpg").width()).as("same bytes under a new name: the earlier record, not a new scan").isEqualTo(4321);
        assertThat(now.get("people/p1.jpg").sha256()).as("changed bytes under the same name: scanned again")
                .isEqualTo(org.likeness.model.Sha256.of(d.resolve("people/p1.jpg")));
    }

    /** A kill just after the output was created leaves it empty or with part of a gzip header: resume starts afresh. */
    @Test
    void resumeOfAnOutputCutBeforeItsHeaderStartsAfresh() throws Exception {
        Path d = dataset(2);
        Path whole = tmp.resolve("whole.jsonl.gz");
        assertThat(run("scan", d.toString(), "-o", whole.toString(), "--no-progress")).isZero();
        for (int cut : new int[] {0, 5, 12}) {
            Path out = tmp.resolve("cut" + cut + ".jsonl.gz");
            Files.write(out, Arrays.copyOf(Files.readAllBytes(whole), cut));
            assertThat(ScanFile.hasCompleteHeader(out)).isFalse();
            assertThat(run("scan", d.toString(), "-o", out.toString(), "--resume", "--no-progress")).as("cut at %d bytes", cut).isZero();
            assertThat(ScanFile.readAll(out)).hasSize(2);
        }
        assertThat(ScanFile.hasCompleteHeader(whole)).isTrue();
    }

    @Test
    void aScanCutShortByAKillIsReadUpToTheCutAndResumed() throws Exception {
        Path d = dataset(3);
        Path out = tmp.resolve("k.jsonl.gz");
        assertThat(run("scan", d.toString(), "-o", out.toString(), "--no-progress")).isEqualTo(ExitCodes.OK);
        byte[] whole = Files.readAllBytes(out);
        Files.write(out, Arrays.copyOf(whole, whole.length * 2 / 3));
        List<ScanRecord> partial = ScanFile.readAll(out);
        assertThat(partial.size()).isLessThan(3);
        assertThat(run("scan", d.toString(), "-o", out.toString(), "--resume", "--no-progress")).isEqualTo(ExitCodes.OK);
        assertThat(ScanFile.readAll(out)).hasSize(3);
    }

    @Test
    void aHundredThousandEmptyFilesAreEachReported() throws Exception {
        Models.store();
        Path d = tmp.resolve("empties");
        Files.createDirectories(d);
        for (int i = 0; i < 100_000; i++) {
            Files.write(d.resolve(String.format("%06d.jpg", i)), new byte[0]);
        }
        Path out = tmp.resolve("e.jsonl.gz");
        assertThat(run("scan", d.toString(), "-o", out.toString(), "--no-progress")).isEqualTo(ExitCodes.SOME_FAILED);
        long[] n = {0};
        ScanFile.read(out, r -> {
            assertThat(r.error()).isEqualTo("empty file (0 bytes)");
            n[0]++;
        });
        assertThat(n[0]).isEqualTo(100_000);
    }

    @Test
    void missingDatasetIsAOneLineError() {
        assertThat(run("scan", tmp.resolve("nope").toString(), "-o", tmp.resolve("x.jsonl").toString())).isEqualTo(ExitCodes.ERROR);
    }
}
