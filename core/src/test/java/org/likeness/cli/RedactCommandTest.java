package org.likeness.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.Models;
import org.likeness.SharedData;
import org.likeness.face.Box;
import org.likeness.face.Face;
import org.likeness.face.FacePipeline;
import org.likeness.face.MatchThreshold;
import org.likeness.image.DecodedImage;
import org.likeness.image.ImageDecoder;
import org.likeness.model.Sha256;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redaction of a folder built from lfw-dev, audited against a registry with one consented and one revoked person plus
 * strangers: every face that is not consented must fail re-identification, everything else must be byte-identical, the
 * manifest must list every file, and the input must be untouched.
 */
class RedactCommandTest {
    @TempDir
    Path tmp;

    @Test
    void anonymisesEveryUnconsentedFaceAndCopiesTheRestUnchanged() throws Exception {
        Path lfw = SharedData.require("lfw-dev/images");
        Models.store();
        TestRegistry registry = new TestRegistry(tmp.resolve("home"));
        registry.run("subject", "add", "--id", "gwb", lfw.resolve("George_W_Bush/George_W_Bush_0001.jpg").toString());
        registry.run("subject", "add", "--id", "powell", lfw.resolve("Colin_Powell/Colin_Powell_0001.jpg").toString());
        registry.run("consent", "grant", "gwb", "--purpose", "training");
        registry.run("consent", "grant", "powell", "--purpose", "training");
        registry.run("consent", "revoke", "powell", "--purpose", "training");
        Path data = tmp.resolve("dataset");
        for (String person : List.of("George_W_Bush", "Colin_Powell", "Hugo_Chavez", "Serena_Williams")) {
            for (String n : List.of("0002", "0003", "0004")) {
                Path to = data.resolve(person).resolve(person + "_" + n + ".jpg");
                Files.createDirectories(to.getParent());
                Files.copy(lfw.resolve(person + "/" + person + "_" + n + ".jpg"), to);
            }
        }
        Files.writeString(data.resolve("labels.txt"), "not a photo\n");
        Map<String, String> inputBefore = tree(data);
        Path report = tmp.resolve("report");
        assertThat(registry.audit(data, report)).isEqualTo(ExitCodes.NOT_CONSENTED);
        JsonNode findings = new ObjectMapper().readTree(report.resolve("findings.json").toFile());

        for (String mode : List.of("blur", "pixelate")) {
            Path out = tmp.resolve("clean-" + mode);
            int code = QuietCli.run("redact", data.toString(), "--findings", report.resolve("findings.json").toString(),
                    "-o", out.toString(), "--mode", mode);
            assertThat(code).as("labels.txt is withheld: not an image, so never audited").isEqualTo(ExitCodes.SOME_FAILED);
            assertThat(tree(data)).as("the input is never modified").isEqualTo(inputBefore);
            JsonNode manifest = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
            checkManifest(data, out, manifest, findings);
            checkNoneReidentified(data, out, findings);
            assertThat(out.resolve("REDACTION-INCOMPLETE.txt")).doesNotExist();
        }

        // a photo changed after the audit and one added since are withheld, never copied on trust
        Path changed = data.resolve("George_W_Bush/George_W_Bush_0002.jpg");
        Files.write(changed, new byte[] {0}, java.nio.file.StandardOpenOption.APPEND);
        Files.copy(lfw.resolve("Ariel_Sharon/Ariel_Sharon_0002.jpg"), data.resolve("Ariel_Sharon_0002.jpg"));
        Path out = tmp.resolve("clean-after-changes");
        assertThat(QuietCli.run("redact", data.toString(), "--findings", report.resolve("findings.json").toString(), "-o", out.toString()))
                .isEqualTo(ExitCodes.SOME_FAILED);
        Map<String, String> reasons = new TreeMap<>();
        new ObjectMapper().readTree(out.resolve("manifest.json").toFile()).get("images")
                .forEach(e -> reasons.put(e.get("path").asText(), e.path("reason").asText("")));
        assertThat(reasons.get("George_W_Bush/George_W_Bush_0002.jpg")).startsWith("changed since the audit");
        assertThat(reasons.get("Ariel_Sharon_0002.jpg")).startsWith("not in the findings");
        assertThat(out.resolve("George_W_Bush/George_W_Bush_0002.jpg")).doesNotExist();
        assertThat(out.resolve("Ariel_Sharon_0002.jpg")).doesNotExist();
        assertThat(QuietCli.run("redact", data.toString(), "--findings", report.resolve("findings.json").toString(), "-o",
                data.resolve("clean").toString())).as("a copy inside the dataset it copies").isEqualTo(ExitCodes.ERROR);
        assertThat(data.resolve("clean")).doesNotExist();
        assertThat(QuietCli.run("redact", data.toString(), "--findings", data.resolve("labels.txt").toString(), "-o",
                tmp.resolve("x").toString())).as("a findings file that is not JSON").isEqualTo(ExitCodes.ERROR);
    }

    /** Every input file appears once; the copy holds exactly the files the manifest says, with its hashes. */
    private static void checkManifest(Path data, Path out, JsonNode manifest, JsonNode findings) throws IOException {
        Map<String, String> input = tree(data);
        Map<String, String> copy = tree(out);
        copy.remove("manifest.json");
        Map<String, Boolean> allConsented = new TreeMap<>();
        findings.get("faces").forEach(f -> allConsented.merge(f.get("path").asText(), f.get("status").asText().equals("consented"), Boolean::logicalAnd));
        Map<String, String> listed = new TreeMap<>();
        int redacted = 0;
        for (JsonNode e : manifest.get("images")) {
            String path = e.get("path").asText();
            String action = e.get("action").asText();
            listed.put(path, action);
            assertThat(e.get("sha256_before").asText()).as(path).isEqualTo(input.get(path));
            switch (action) {
                case "copied" -> {
                    assertThat(allConsented.getOrDefault(path, true)).as(path + " copied: no face or all consented").isTrue();
                    assertThat(copy.get(path)).as(path + " byte-identical").isEqualTo(input.get(path));
                }
                case "redacted" -> {
                    redacted++;
                    assertThat(allConsented.get(path)).as(path + " has an unconsented face").isFalse();
                    assertThat(copy.get(path)).as(path).isEqualTo(e.get("sha256_after").asText()).isNotEqualTo(input.get(path));
                }
                case "withheld" -> {
                    assertThat(path).isEqualTo("labels.txt");
                    assertThat(copy).doesNotContainKey(path);
                }
                default -> throw new AssertionError(path + ": unexpected action " + action);
            }
        }
        assertThat(listed.keySet()).isEqualTo(input.keySet());
        assertThat(copy.keySet()).isEqualTo(listed.entrySet().stream().filter(x -> !x.getValue().equals("withheld")).map(Map.Entry::getKey).collect(java.util.stream.Collectors.toSet()));
        assertThat(redacted).as("Powell, Chavez and Williams photos at least").isGreaterThanOrEqualTo(9);
        assertThat(listed.entrySet().stream().filter(x -> x.getKey().startsWith("George_W_Bush/") && x.getValue().equals("copied")).count())
                .as("consented photos of George W Bush without bystanders are kept as they are").isGreaterThanOrEqualTo(1);
    }

    /** Each unconsented face, re-embedded from the copy at its original landmarks or re-detected, is no longer that person. */
    private static void checkNoneReidentified(Path data, Path out, JsonNode findings) throws Exception {
        FacePipeline pipeline = Models.pipeline();
        float threshold = MatchThreshold.forModel(pipeline.embedderId());
        ImageDecoder decoder = new ImageDecoder();
        int checked = 0;
        for (JsonNode f : findings.get("faces")) {
            if (f.get("status").asText().equals("consented")) {
                continue;
            }
            String path = f.get("path").asText();
            JsonNode b = f.get("box");
            Box box = new Box((float) b.get(0).asDouble(), (float) b.get(1).asDouble(), (float) b.get(2).asDouble(), (float) b.get(3).asDouble());
            try (DecodedImage before = decoder.decode(path, Files.readAllBytes(data.resolve(path)));
                 DecodedImage after = decoder.decode(path, Files.readAllBytes(out.resolve(path)))) {
                Face original = pipeline.faces(before.bgr()).stream().max((x, y) -> Float.compare(x.box().iou(box), y.box().iou(box))).orElseThrow();
                assertThat(original.box().iou(box)).as(path).isGreaterThan(0.9f);
                float known = pipeline.embedAt(after.bgr(), original.landmarks()).similarity(original.embedding());
                assertThat(known).as(path + " re-embedded at its original landmarks").isLessThan(threshold);
                for (Face again : pipeline.faces(after.bgr())) {
                    assertThat(again.embedding().similarity(original.embedding())).as(path + " re-detected").isLessThan(threshold);
                }
                checked++;
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(9);
    }

    static Map<String, String> tree(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(p).toString().replace('\\', '/'), Sha256.of(p));
            }
        }
        return out;
    }

}
