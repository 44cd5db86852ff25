package org.likeness.eval;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.lab.LabMain;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The bake-off's vectors cache: read back as written; a truncated or foreign file is one clear error naming it. */
class EmbedderBakeoffCacheTest {
    /** A tiny LFW-format pairs file (the commands read it before anything else). */
    static Path pairs(Path dir) throws IOException {
        return Files.writeString(dir.resolve("pairs.txt"), "1\nsomeone\t1\t2\nsomeone\t1\tother\t1\n");
    }

    static Path valid(Path dir) throws IOException {
        Map<String, float[][]> v = new TreeMap<>();
        v.put("a/a_0001.jpg", new float[][]{{1, 0}, {0, 1}, {0.6f, 0.8f}, {0.8f, 0.6f}});
        v.put("b/b_0001.jpg", new float[][]{{0, 1}, {1, 0}, {0.8f, 0.6f}, {0.6f, 0.8f}});
        Path file = dir.resolve("cache.bin");
        EmbedderBakeoff.save(file, List.of("e1", "e2"), new double[]{1.5, 2.5}, v);
        return file;
    }

    @Test
    void aCacheReadsBackAsWritten(@TempDir Path tmp) throws IOException {
        EmbedderBakeoff.Saved s = EmbedderBakeoff.load(valid(tmp));
        assertThat(s.ids()).containsExactly("e1", "e2");
        assertThat(s.msPerFace()).containsExactly(1.5, 2.5);
        assertThat(s.vectors().get("b/b_0001.jpg")[2]).containsExactly(0.8f, 0.6f);
    }

    static List<Path> broken(Path tmp) throws IOException {
        byte[] good = Files.readAllBytes(valid(tmp));
        Path truncated = Files.write(tmp.resolve("truncated.bin"), Arrays.copyOf(good, good.length - 20));
        Path foreign = Files.writeString(tmp.resolve("foreign.bin"), "some text, not a cache\n");
        Path gzForeign = tmp.resolve("gz-foreign.bin");
        try (DataOutputStream o = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(gzForeign)))) {
            o.writeBytes("hello, a gzip file of something else entirely");
        }
        Path negative = tmp.resolve("negative.bin");
        try (DataOutputStream o = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(negative)))) {
            o.writeUTF("likeness-embedder-bakeoff-v1");
            o.writeInt(-3);
        }
        Path huge = tmp.resolve("huge.bin");
        try (DataOutputStream o = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(huge)))) {
            o.writeUTF("likeness-embedder-bakeoff-v1");
            o.writeInt(1);
            o.writeUTF("e1");
            o.writeDouble(1);
            o.writeInt(1);
            o.writeUTF("a/a_0001.jpg");
            o.writeInt(Integer.MAX_VALUE); // a vector of 2^31 floats
        }
        return List.of(truncated, foreign, gzForeign, negative, huge);
    }

    @Test
    void aTruncatedOrForeignCacheIsAnIoErrorNamingTheFile(@TempDir Path tmp) throws IOException {
        for (Path bad : broken(tmp)) {
            assertThatThrownBy(() -> EmbedderBakeoff.load(bad)).as(bad.toString()).isInstanceOf(IOException.class)
                    .hasMessageStartingWith(bad + ": ");
        }
    }

    @Test
    void throughTheCommandLineABrokenCacheIsOneLine(@TempDir Path tmp) throws IOException {
        for (Path bad : broken(tmp)) {
            PrintStream old = System.err;
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int rc;
            try {
                rc = LabMain.run("bench", "bakeoff", "--images", tmp.toString(), "--pairs",
                        pairs(tmp).toString(), "--embedders", "e1,e2", "--cache", bad.toString());
            } finally {
                System.setErr(old);
            }
            String e = err.toString(StandardCharsets.UTF_8);
            assertThat(rc).as(e).isNotZero();
            assertThat(e.lines().toList()).as(e).hasSize(1);
            assertThat(e).startsWith("likeness: " + bad + ": ").doesNotContain("internal error");
        }
    }

    @Test
    void failclosedWithAVariantTheCacheDoesNotHaveIsOneLine(@TempDir Path tmp) throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Path scan = tmp.resolve("s.jsonl.gz");
        assertThat(LabMain.run("scan", "--no-progress", empty.toString(), "-o", scan.toString())).isZero();
        Path cache = valid(tmp);
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int rc;
        try {
            rc = LabMain.run("bench", "failclosed", scan.toString(), "--vectors", cache.toString(), "--variant", "e3 +flip");
        } finally {
            System.setErr(old);
        }
        String e = err.toString(StandardCharsets.UTF_8);
        assertThat(rc).as(e).isNotZero();
        assertThat(e.lines().toList()).as(e).hasSize(1);
        assertThat(e).startsWith("likeness: " + cache + ": ").contains("e3 +flip").doesNotContain("internal error");
    }

    @Test
    void anUnknownEmbedderIsOneLineNotAnInternalError(@TempDir Path tmp) throws IOException {
        Path images = Files.createDirectories(tmp.resolve("images/someone"));
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int rc;
        try {
            rc = LabMain.run("bench", "bakeoff", "--images", images.getParent().toString(), "--pairs",
                    pairs(tmp).toString(), "--embedders", "human-nope-1");
        } finally {
            System.setErr(old);
        }
        String e = err.toString(StandardCharsets.UTF_8);
        assertThat(rc).as(e).isNotZero();
        assertThat(e.lines().toList()).as(e).hasSize(1);
        assertThat(e).startsWith("likeness: human-nope-1: ").doesNotContain("internal error");
    }

    @Test
    void aCorruptPhotoIsOneLineAndTheRunGoesOnToAWholeCache(@TempDir Path tmp) throws IOException {
        org.likeness.model.ModelStore store = org.likeness.Models.store();
        Path person = Files.createDirectories(tmp.resolve("images/PersonA"));
        Files.copy(store.require("demo-sample1"), person.resolve("a1.jpg"));
        Files.copy(store.require("demo-sample2"), person.resolve("a2.jpg"));
        Files.write(person.resolve("bad.jpg"), new byte[]{(byte) 0xFF, (byte) 0xD8, 1, 2, 3});
        Path cache = tmp.resolve("c.bin");
        PrintStream oldErr = System.err;
        PrintStream oldOut = System.out;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            rc = LabMain.run("bench", "bakeoff", "--images", tmp.resolve("images").toString(), "--pairs", pairs(tmp).toString(),
                    "--embedders", "fr-feature-512", "--cache", cache.toString());
        } finally {
            System.setErr(oldErr);
            System.setOut(oldOut);
        }
        String e = err.toString(StandardCharsets.UTF_8);
        assertThat(rc).as(e).isZero();
        assertThat(e.lines().filter(l -> l.startsWith("likeness: ")).toList()).as(e).hasSize(1)
                .allSatisfy(l -> assertThat(l).startsWith("likeness: " + person.resolve("bad.jpg") + ": "));
        assertThat(EmbedderBakeoff.load(cache).vectors()).containsOnlyKeys("PersonA/a1.jpg", "PersonA/a2.jpg");
        assertThat(tmp.resolve("c.bin.part")).doesNotExist();
    }
}
