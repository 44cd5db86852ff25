package org.likeness.redact;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.model.Sha256;
import org.likeness.scan.DatasetEntry;
import org.likeness.scan.DatasetReader;
import org.likeness.scan.OutputTree;
import org.likeness.scan.Progress;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Writing a copy never writes where it must not: not inside the input reached through an alias, not through a link
 * planted in OUT (at a temporary name, a folder name or a final name); and hostile names refuse their own file only.
 */
class OutputSafetyTest {
    @TempDir
    Path tmp;

    /**
     * A real 4×4 PNG whose pixels depend on the label: redaction re-checks every file it passes on unchanged, so the
     * dataset's files must be pictures.
     */
    static byte[] photo(String label) throws IOException {
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(4, 4, java.awt.image.BufferedImage.TYPE_INT_RGB);
        int seed = label.hashCode();
        for (int i = 0; i < 16; i++) {
            img.setRGB(i % 4, i / 4, seed * (i + 1));
        }
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(img, "png", b);
        return b.toByteArray();
    }

    /** A plan copying every readable file of the dataset unchanged (what an audit finding no faces would say). */
    private static RedactionPlan copyAll(Path dataset) throws IOException {
        List<PlannedImage> images = new ArrayList<>();
        try (DatasetReader r = DatasetReader.open(dataset)) {
            while (r.hasNext()) {
                DatasetEntry e = r.next();
                if (e.bytes() != null) {
                    images.add(new PlannedImage(e.path(), Sha256.of(e.bytes()), 0, List.of()));
                }
            }
        }
        return RedactionPlan.of("test", "test", Set.of("consented"), images);
    }

    private static Map<String, JsonNode> manifest(Path out) throws IOException {
        Map<String, JsonNode> m = new TreeMap<>();
        for (JsonNode e : new ObjectMapper().readTree(out.resolve(Manifest.FILE_NAME).toFile()).path("images")) {
            m.put(e.path("path").asText(), e);
        }
        return m;
    }

    private static Map<String, String> tree(Path root) throws IOException {
        Map<String, String> t = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                t.put(root.relativize(p).toString(), Files.isSymbolicLink(p) ? "link" : Files.isDirectory(p) ? "dir" : Sha256.of(p));
            }
        }
        return t;
    }

    @Test
    void anAliasOfTheDatasetIsStillTheDataset() throws Exception {
        Path data = tmp.resolve("data");
        Files.createDirectories(data.resolve("sub"));
        Files.write(data.resolve("a.jpg"), new byte[] {1, 2, 3});
        Path alias = Files.createSymbolicLink(tmp.resolve("alias"), data);
        Path aliasOfSub = Files.createSymbolicLink(tmp.resolve("alias-sub"), data.resolve("sub"));
        Map<String, String> before = tree(data);
        RedactionPlan plan = copyAll(data);
        for (Path out : List.of(alias.resolve("clean"), aliasOfSub.resolve("clean"), alias)) {
            assertThatThrownBy(() -> new Redactor(plan, RedactMode.BLUR, 1).run(data, out, false, Progress.none()))
                    .as(out.toString()).hasMessageContaining("inside the dataset");
        }
        assertThatThrownBy(() -> new Redactor(plan, RedactMode.BLUR, 1).run(alias, data.resolve("sub/clean"), false, Progress.none()))
                .hasMessageContaining("inside the dataset");
        assertThat(tree(data)).as("nothing written inside the input").isEqualTo(before);
        // the same check guards the other writers of output trees
        assertThatThrownBy(() -> OutputTree.checkOutside(alias, data.resolve("report"), "the report")).hasMessageContaining("really");
    }

    @Test
    void resumeNeverWritesThroughLinksPlantedInTheCopy() throws Exception {
        Path data = tmp.resolve("data");
        Files.createDirectories(data.resolve("sub"));
        for (String n : List.of("a.jpg", "c.jpg", "sub/b.jpg")) {
            Files.write(data.resolve(n), photo(n));
        }
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Path victim = Files.writeString(outside.resolve("victim.txt"), "precious");
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        RedactionPlan plan = copyAll(data);
        Path out = tmp.resolve("out");
        Map<String, String> header = Map.of("dataset", data.toAbsolutePath().normalize().toString(), "plan", plan.identity(),
                "mode", RedactMode.BLUR.word());
        RedactionJournal.open(out, header, false).close(); // an interrupted copy: marker and journal, nothing written yet
        // links planted at every name the resumed run will write: old and new temporary names, a folder, a final name
        Files.createSymbolicLink(out.resolve("a.jpg.likeness-tmp"), victim);
        Files.createSymbolicLink(out.resolve(OutputTree.tempName("a.jpg")), victim);
        Files.createSymbolicLink(out.resolve("sub"), elsewhere);
        Files.createSymbolicLink(out.resolve("c.jpg"), victim);

        Manifest m = new Redactor(plan, RedactMode.BLUR, 1).run(data, out, true, Progress.none());

        assertThat(Files.readString(victim)).as("the target of the planted links is untouched").isEqualTo("precious");
        assertThat(elsewhere).isEmptyDirectory();
        assertThat(OutputTree.isPlainFile(out.resolve("a.jpg"))).isTrue();
        assertThat(Files.readAllBytes(out.resolve("a.jpg"))).isEqualTo(photo("a.jpg"));
        Map<String, JsonNode> entries = manifest(out);
        assertThat(entries.get("a.jpg").path("action").asText()).isEqualTo("copied");
        for (String refused : List.of("c.jpg", "sub/b.jpg")) {
            assertThat(entries.get(refused).path("action").asText()).as(refused).isEqualTo("withheld");
            assertThat(entries.get(refused).path("reason").asText()).as(refused).contains("symbolic link");
        }
        assertThat(m.count(ManifestEntry.WITHHELD)).isEqualTo(2);
        try (Stream<Path> s = Files.list(out)) {
            assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(OutputTree.TEMP_PREFIX)).toList())
                    .as("no temporary file left").isEmpty();
        }
    }

    /** A folder holding names Linux allows: a backslash, 251 bytes, bytes that are not UTF-8. */
    @Test
    void hostileNamesOnDiskRefuseOnlyTheirOwnFile() throws Exception {
        Path data = tmp.resolve("data");
        Files.createDirectories(data);
        String longName = "x".repeat(247) + ".jpg"; // 251 bytes
        for (String n : List.of("a.jpg", "back\\slash.jpg", longName, "z.jpg")) {
            Files.write(data.resolve(n), photo(Integer.toString(n.length())));
        }
        Process p = new ProcessBuilder("bash", "-c", "cp z.jpg $'caf\\xe9.jpg'").directory(data.toFile()).start();
        assertThat(p.waitFor()).isZero();
        RedactionPlan plan = copyAll(data);
        assertThat(plan.images()).hasSize(5);
        Path out = tmp.resolve("out");

        Manifest m = new Redactor(plan, RedactMode.BLUR, 2).run(data, out, false, Progress.none());

        Map<String, JsonNode> entries = manifest(out);
        assertThat(entries).hasSize(5);
        assertThat(Files.isRegularFile(out.resolve("back\\slash.jpg"), LinkOption.NOFOLLOW_LINKS))
                .as("a backslash is part of the name, not a folder").isTrue();
        assertThat(out.resolve("back")).doesNotExist();
        assertThat(Files.readAllBytes(out.resolve(longName))).isEqualTo(photo("251"));
        String bad = entries.keySet().stream().filter(k -> k.startsWith("caf")).findFirst().orElseThrow();
        assertThat(entries.get(bad).path("action").asText()).isEqualTo("withheld");
        assertThat(entries.get(bad).path("reason").asText()).contains("not valid UTF-8");
        assertThat(m.count(ManifestEntry.COPIED)).isEqualTo(4);
        try (Stream<Path> s = Files.list(out)) {
            assertThat(s.map(x -> x.getFileName().toString()).filter(n -> n.startsWith("caf")).toList())
                    .as("never copied under another name").isEmpty();
        }
        assertThat(out.resolve(RedactionJournal.INCOMPLETE_MARKER)).doesNotExist();
    }

    /** A tar whose entries carry a backslash, 251 bytes and a name that is not UTF-8: the copy is a tar with the same names. */
    @Test
    void hostileNamesInAnArchiveRefuseOnlyTheirOwnEntry() throws Exception {
        Path tar = tmp.resolve("faces.tar");
        byte[] notUtf8 = {'c', 'a', 'f', (byte) 0xe9, '.', 'j', 'p', 'g'};
        String longName = "d/" + "y".repeat(300) + ".jpg";
        try (OutputStream o = Files.newOutputStream(tar); TarArchiveOutputStream t = new TarArchiveOutputStream(o, "ISO-8859-1")) {
            t.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
            for (String n : List.of("a.jpg", "back\\slash.jpg", longName, new String(notUtf8, StandardCharsets.ISO_8859_1))) {
                byte[] b = photo(Integer.toString(n.length()));
                TarArchiveEntry e = new TarArchiveEntry(n);
                e.setSize(b.length);
                t.putArchiveEntry(e);
                t.write(b);
                t.closeArchiveEntry();
            }
        }
        RedactionPlan plan = copyAll(tar);
        Path out = tmp.resolve("out");
        Manifest m = new Redactor(plan, RedactMode.BLUR, 1).run(tar, out, false, Progress.none());
        Map<String, JsonNode> entries = manifest(out);
        assertThat(entries).hasSize(4);
        String bad = entries.keySet().stream().filter(k -> k.startsWith("caf")).findFirst().orElseThrow();
        assertThat(entries.get(bad).path("action").asText()).isEqualTo("withheld");
        assertThat(entries.get(bad).path("reason").asText()).contains("not valid UTF-8");
        Map<String, String> copied = new HashMap<>();
        try (InputStream in = Files.newInputStream(out.resolve("faces.tar")); TarArchiveInputStream t = new TarArchiveInputStream(in)) {
            TarArchiveEntry e;
            while ((e = t.getNextEntry()) != null) {
                copied.put(e.getName(), new String(t.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        assertThat(copied.keySet()).containsExactlyInAnyOrder("a.jpg", "back\\slash.jpg", longName);
        assertThat(m.count(ManifestEntry.COPIED)).isEqualTo(3);
    }

    /** Workers writing into the same new folders at once: a folder another made meanwhile is a folder, not a refusal. */
    @Test
    void workersCreatingTheSameFoldersAtOnce() throws Exception {
        for (int round = 0; round < 20; round++) {
            Path out = tmp.resolve("race" + round);
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
            for (int i = 0; i < 8; i++) {
                String path = "a/b/c/f" + i + ".jpg";
                done.add(pool.submit(() -> {
                    OutputTree.write(out, path, new byte[] {1});
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
            try (Stream<Path> s = Files.list(out.resolve("a/b/c"))) {
                assertThat(s.count()).isEqualTo(8);
            }
        }
    }

    /** The same for a zip written by a tool that stores names in a legacy code page (no UTF-8 flag). */
    @Test
    void aZipEntryNameThatIsNotUtf8IsRefusedNotRenamed() throws Exception {
        Path zip = tmp.resolve("faces.zip");
        String notUtf8 = new String(new byte[] {'c', 'a', 'f', (byte) 0xe9, '.', 'j', 'p', 'g'}, StandardCharsets.ISO_8859_1);
        try (OutputStream o = Files.newOutputStream(zip);
             org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream z = new org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream(o)) {
            z.setEncoding("ISO-8859-1");
            z.setUseLanguageEncodingFlag(false);
            for (String n : List.of("a.jpg", notUtf8, "b.jpg")) {
                z.putArchiveEntry(new org.apache.commons.compress.archivers.zip.ZipArchiveEntry(n));
                z.write(photo(n));
                z.closeArchiveEntry();
            }
        }
        Path out = tmp.resolve("out");
        Manifest m = new Redactor(copyAll(zip), RedactMode.BLUR, 1).run(zip, out, false, Progress.none());
        assertThat(m.count(ManifestEntry.COPIED)).isEqualTo(2);
        ManifestEntry bad = m.images().stream().filter(e -> e.path().startsWith("caf")).findFirst().orElseThrow();
        assertThat(bad.action()).isEqualTo(ManifestEntry.WITHHELD);
        assertThat(bad.reason()).contains("not valid UTF-8");
        assertThat(bad.path()).contains("\uFFFD");
        try (org.apache.commons.compress.archivers.zip.ZipFile z = org.apache.commons.compress.archivers.zip.ZipFile.builder()
                .setPath(out.resolve("faces.zip")).get()) {
            assertThat(java.util.Collections.list(z.getEntries()).stream().map(e -> e.getName()).toList()).containsExactly("a.jpg", "b.jpg");
        }
    }
}
