package org.likeness.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.SharedData;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class HashCommandsTest {
    @TempDir
    Path tmp;

    private static String stdout(String... args) {
        return QuietCli.stdout(args);
    }

    @Test
    void hashPrintsTheReferenceHashOfAPng() {
        Path c = SharedData.require("pdq/misc-images/c.png");
        assertThat(stdout("hash", c.toString()))
                .startsWith("e4cc89d91c623842f8d1f1d9a398e78c9f199a3bf87925f2b7e11e0bf061b064 100 ");
    }

    @Test
    void dupesFindsTheTwelveEditsOfOnePhotoAsOneGroup() throws Exception {
        Path bridge = SharedData.require("pdq/bridge-mods");
        JsonNode o = new ObjectMapper().readTree(stdout("dupes", bridge.toString(), "--json"));
        assertThat(o.get("images").asInt()).isEqualTo(12);
        assertThat(o.get("distinct_photos").asInt()).isEqualTo(1);
        assertThat(o.get("groups").get(0)).hasSize(12);
    }

    @Test
    void matchTracesEditedCopiesToTheirOriginalAndNothingElse() throws Exception {
        Path bridge = SharedData.require("pdq/bridge-mods");
        Path lfw = SharedData.require("pdq/lfw-png");
        Path ref = tmp.resolve("reference");
        Files.createDirectories(ref);
        Files.copy(bridge.resolve("aaa-orig.jpg"), ref.resolve("original.jpg"));
        try (var s = Files.list(lfw)) {
            for (Path p : s.toList()) {
                Files.copy(p, ref.resolve(p.getFileName()));
            }
        }
        Path csv = tmp.resolve("m.csv");
        JsonNode o = new ObjectMapper().readTree(stdout("match", bridge.toString(), "--against", ref.toString(), "--json",
                "--csv", csv.toString()));
        assertThat(o.get("summary").get("matched").asInt()).isEqualTo(12);
        for (JsonNode img : o.get("images")) {
            assertThat(img.get("matches")).hasSize(1);
            assertThat(img.get("matches").get(0).get("reference").asText()).isEqualTo("original.jpg");
        }
        assertThat(Files.readAllLines(csv)).hasSize(13);
    }

    @Test
    void matchAgainstAScanKeepsItsIndexBesideTheScan() throws Exception {
        Path lfw = SharedData.require("pdq/lfw-png");
        org.likeness.Models.store();
        Path scan = tmp.resolve("ref.jsonl.gz");
        stdout("scan", lfw.toString(), "-o", scan.toString(), "--no-progress");
        String first = stdout("match", lfw.toString(), "--against", scan.toString());
        Path idx = tmp.resolve("ref.jsonl.gz.pdqidx");
        assertThat(idx).exists();
        long written = Files.getLastModifiedTime(idx).toMillis();
        String second = stdout("match", lfw.toString(), "--against", scan.toString());
        assertThat(second).isEqualTo(first).contains("40 matched in 40 reference images");
        assertThat(Files.getLastModifiedTime(idx).toMillis()).isEqualTo(written); // reused, not rebuilt
    }
}
