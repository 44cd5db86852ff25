package org.likeness.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.Models;
import org.likeness.SharedData;
import org.likeness.image.HiddenPictures;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A dataset whose only visible face is consented, with unconsented faces hidden where a first-image decoder or a
 * folder walk that skips dot-files would not look: page 2 of a TIFF, a JPEG appended to a JPEG, a dot-folder, and a
 * symbolic link. The audit must not pass it, must name every such file, and redact must not copy any of them.
 */
class HiddenInputsAuditTest {
    @TempDir
    Path tmp;

    @Test
    void hiddenFacesFailTheAuditAndAreWithheldByRedact() throws Exception {
        Path lfw = SharedData.require("lfw-dev/images");
        Models.store();
        TestRegistry registry = new TestRegistry(tmp.resolve("home"));
        registry.run("subject", "add", "--id", "gwb", lfw.resolve("George_W_Bush/George_W_Bush_0001.jpg").toString());
        registry.run("consent", "grant", "gwb", "--purpose", "training");
        Path gwb = lfw.resolve("George_W_Bush/George_W_Bush_0002.jpg");
        Path chavez = lfw.resolve("Hugo_Chavez/Hugo_Chavez_0002.jpg");

        Path data = tmp.resolve("dataset");
        Files.createDirectories(data.resolve(".hidden"));
        Files.copy(gwb, data.resolve("consented.jpg"));
        Files.write(data.resolve("pages.tif"), HiddenPictures.multipageTiff(HiddenPictures.read(gwb), HiddenPictures.read(chavez)));
        Files.write(data.resolve("mpo.jpg"), HiddenPictures.concat(Files.readAllBytes(gwb), Files.readAllBytes(chavez)));
        Files.copy(chavez, data.resolve(".hidden/chavez.jpg"));
        Files.copy(chavez, tmp.resolve("outside.jpg"));
        Files.createSymbolicLink(data.resolve("linked.jpg"), tmp.resolve("outside.jpg"));

        Path report = tmp.resolve("report");
        TestRegistry.Run audit = registry.exec("audit", data.toString(), "--purpose", "training", "--report", report.toString());
        assertThat(audit.code()).as(audit.out() + audit.err()).isEqualTo(ExitCodes.NOT_CONSENTED);
        assertThat(audit.out()).startsWith("NOT CONSENTED: 5 images");
        JsonNode findings = new ObjectMapper().readTree(report.resolve("findings.json").toFile());
        Map<String, String> failures = new TreeMap<>();
        findings.get("failures").forEach(f -> failures.put(f.get("path").asText(), f.get("reason").asText()));
        assertThat(failures).containsOnlyKeys("pages.tif", "mpo.jpg", "linked.jpg");
        assertThat(failures.get("pages.tif")).startsWith("multipage TIFF with 2 pages is not scanned");
        assertThat(failures.get("mpo.jpg")).startsWith("data after end of image");
        assertThat(failures.get("linked.jpg")).isEqualTo("symbolic link, not followed: not checked");
        assertThat(audit.err()).contains("likeness: pages.tif: multipage TIFF").contains("likeness: mpo.jpg: data after end of image")
                .contains("likeness: linked.jpg: symbolic link");
        long hiddenFaces = 0;
        for (JsonNode f : findings.get("faces")) {
            if (f.get("path").asText().equals(".hidden/chavez.jpg")) {
                hiddenFaces++;
                assertThat(f.get("status").asText()).isEqualTo("unknown");
            }
        }
        assertThat(hiddenFaces).as("the face in the dot-folder is scanned").isGreaterThanOrEqualTo(1);

        Path out = tmp.resolve("clean");
        TestRegistry.Run redact = registry.exec("redact", data.toString(), "--findings", report.resolve("findings.json").toString(),
                "-o", out.toString());
        assertThat(redact.code()).as(redact.err()).isEqualTo(ExitCodes.SOME_FAILED);
        assertThat(out.resolve("pages.tif")).doesNotExist();
        assertThat(out.resolve("mpo.jpg")).doesNotExist();
        assertThat(out.resolve("linked.jpg")).doesNotExist();
        assertThat(out.resolve(".hidden/chavez.jpg")).exists();
        assertThat(Files.readAllBytes(out.resolve(".hidden/chavez.jpg"))).as("the unknown face is redacted")
                .isNotEqualTo(Files.readAllBytes(chavez));
        assertThat(Files.readAllBytes(out.resolve("consented.jpg"))).isEqualTo(Files.readAllBytes(gwb));

        // findings that passed mpo.jpg (as an older build wrote them: no failure, no face to redact) do not get it copied
        com.fasterxml.jackson.databind.node.ObjectNode stale = (com.fasterxml.jackson.databind.node.ObjectNode) findings;
        stale.putArray("failures");
        for (JsonNode i : stale.get("images")) {
            if (i.get("path").asText().equals("mpo.jpg")) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) i).put("sha256",
                        org.likeness.model.Sha256.of(Files.readAllBytes(data.resolve("mpo.jpg"))));
            }
        }
        Path staleFile = tmp.resolve("stale-findings.json");
        new ObjectMapper().writeValue(staleFile.toFile(), stale);
        Path out2 = tmp.resolve("clean-stale");
        TestRegistry.Run again = registry.exec("redact", data.toString(), "--findings", staleFile.toString(), "-o", out2.toString());
        assertThat(again.code()).as(again.err()).isEqualTo(ExitCodes.SOME_FAILED);
        assertThat(out2.resolve("mpo.jpg")).as("never copied as unchanged").doesNotExist();
        assertThat(again.err()).contains("mpo.jpg").contains("data after end of image");
    }
}
