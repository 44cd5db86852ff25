package org.likeness.cli;

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.Models;
import org.likeness.SharedData;
import org.likeness.model.Sha256;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** A redaction killed half-way and resumed ends byte-identical to an uninterrupted one; archives come out as archives. */
class RedactResumeTest {
    @TempDir
    Path tmp;

    private static List<Path> photos(Path lfw, int n) throws Exception {
        try (Stream<Path> s = Files.walk(lfw)) {
            return s.filter(p -> p.toString().endsWith(".jpg")).sorted().limit(n).toList();
        }
    }

    @Test
    void killedRunResumesToTheSameCopy() throws Exception {
        Path lfw = SharedData.require("lfw-dev/images");
        Models.store();
        TestRegistry registry = new TestRegistry(tmp.resolve("home"));
        Path data = tmp.resolve("dataset");
        for (Path p : photos(lfw, 300)) {
            Path to = data.resolve(lfw.relativize(p).toString());
            Files.createDirectories(to.getParent());
            Files.copy(p, to);
        }
        Path report = tmp.resolve("report");
        registry.audit(data, report);
        String findings = report.resolve("findings.json").toString();

        Path whole = tmp.resolve("whole");
        assertThat(QuietCli.run("redact", data.toString(), "--findings", findings, "-o", whole.toString())).isZero();

        Path resumed = tmp.resolve("resumed");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classpath,
                Main.class.getName(), "redact", data.toString(), "--findings", findings, "-o", resumed.toString(), "--no-progress")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Path journal = resumed.resolve(".likeness-redact/journal.jsonl");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && child.isAlive() && (!Files.exists(journal) || Files.readAllLines(journal).size() < 60)) {
            Thread.sleep(5);
        }
        child.destroyForcibly().waitFor();
        assertThat(resumed.resolve("REDACTION-INCOMPLETE.txt")).as("killed before the end, the copy says it is incomplete").exists();
        assertThat(resumed.resolve("manifest.json")).doesNotExist();

        assertThat(QuietCli.run("redact", data.toString(), "--findings", findings, "-o", resumed.toString()))
                .as("a non-empty OUT without --resume is refused").isEqualTo(ExitCodes.ERROR);
        assertThat(QuietCli.run("redact", data.toString(), "--findings", findings, "-o", resumed.toString(), "--resume")).isZero();
        assertThat(RedactCommandTest.tree(resumed)).isEqualTo(RedactCommandTest.tree(whole));
        assertThat(QuietCli.run("redact", data.toString(), "--findings", findings, "-o", resumed.toString(), "--resume"))
                .as("nothing left to resume").isEqualTo(ExitCodes.ERROR);
    }

    @Test
    void zipInZipOutWithTheSameNames() throws Exception {
        Path lfw = SharedData.require("lfw-dev/images");
        Models.store();
        TestRegistry registry = new TestRegistry(tmp.resolve("home"));
        registry.run("subject", "add", "--id", "a", lfw.resolve("Aaron_Peirsol/Aaron_Peirsol_0001.jpg").toString());
        registry.run("consent", "grant", "a", "--purpose", "training");
        Path zip = tmp.resolve("faces.zip");
        List<Path> photos = new ArrayList<>(photos(lfw, 12));
        Collections.reverse(photos);
        try (OutputStream o = Files.newOutputStream(zip); ZipArchiveOutputStream z = new ZipArchiveOutputStream(o)) {
            for (Path p : photos) {
                z.putArchiveEntry(new ZipArchiveEntry("faces/" + p.getFileName()));
                z.write(Files.readAllBytes(p));
                z.closeArchiveEntry();
            }
        }
        Path report = tmp.resolve("report");
        registry.audit(zip, report);
        Path out = tmp.resolve("out");
        assertThat(QuietCli.run("redact", zip.toString(), "--findings", report.resolve("findings.json").toString(), "-o", out.toString(),
                "--mode", "mask")).isZero();
        Map<String, String> in = entries(zip);
        Map<String, String> copy = entries(out.resolve("faces.zip"));
        assertThat(copy.keySet()).isEqualTo(in.keySet());
        long same = in.keySet().stream().filter(k -> in.get(k).equals(copy.get(k))).count();
        assertThat(same).as("the consented Aaron Peirsol photos without bystanders").isGreaterThanOrEqualTo(1).isLessThan(in.size());
        assertThat(Files.list(out).map(p -> p.getFileName().toString()).sorted().toList()).containsExactly("faces.zip", "manifest.json");
    }

    private static Map<String, String> entries(Path zip) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (ZipFile z = ZipFile.builder().setPath(zip).get()) {
            for (ZipArchiveEntry e : Collections.list(z.getEntries())) {
                out.put(e.getName(), Sha256.of(z.getInputStream(e).readAllBytes()));
            }
        }
        return out;
    }
}
