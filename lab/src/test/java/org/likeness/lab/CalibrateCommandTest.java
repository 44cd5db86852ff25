package org.likeness.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.SharedData;
import org.likeness.cli.ExitCodes;
import org.likeness.eval.PersonSplit;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class CalibrateCommandTest {

    /** The tuning half's threshold does not move when evaluation-half people are added: they are only measured on. */
    @Test
    void calibratesOnTheTuningHalfAndMeasuresOnTheEvaluationHalf(@TempDir Path tmp) throws Exception {
        Path lfw = SharedData.require("lfw-dev/images");
        List<Path> tuning = people(lfw, PersonSplit.TUNING, 5);
        List<Path> evaluation = people(lfw, PersonSplit.EVALUATION, 10);
        Path small = tmp.resolve("small");
        Path large = tmp.resolve("large");
        for (Path p : tuning) {
            copy3(p, small);
            copy3(p, large);
        }
        for (int i = 0; i < evaluation.size(); i++) {
            if (i < 5) {
                copy3(evaluation.get(i), small);
            }
            copy3(evaluation.get(i), large);
        }
        JsonNode a = calibrate(small, tmp, "tuning");
        JsonNode b = calibrate(large, tmp, "tuning");
        assertThat(a.get("split").asText()).isEqualTo("tuning");
        assertThat(a.get("people").asInt()).isEqualTo(5);
        assertThat(a.get("faces").asInt()).isEqualTo(15);
        assertThat(a.get("genuine_pairs").asLong()).isEqualTo(15);           // 5 people × C(3,2)
        assertThat(a.get("impostor_pairs").asLong()).isEqualTo(105 - 15);     // C(15,2) − genuine
        assertThat(a.get("resolved").asBoolean()).as("0.05 of 90 pairs allows 4 false matches").isFalse();
        assertThat(a.at("/held_out/split").asText()).isEqualTo("evaluation");
        assertThat(a.at("/held_out/people").asInt()).isEqualTo(5);
        assertThat(a.at("/held_out/impostor_pairs").asLong()).isEqualTo(90);
        assertThat(b.at("/held_out/people").asInt()).isEqualTo(10);
        assertThat(b.at("/held_out/impostor_pairs").asLong()).isEqualTo(435 - 30); // C(30,2) − 10 × 3
        assertThat(b.get("threshold").asDouble()).isEqualTo(a.get("threshold").asDouble());
        assertThat(b.get("measured_fmr").asDouble()).isEqualTo(a.get("measured_fmr").asDouble());

        JsonNode all = calibrate(small, tmp, "all");
        assertThat(all.get("people").asInt()).isEqualTo(10);
        assertThat(all.has("held_out")).isFalse();
        JsonNode flipped = calibrate(small, tmp, "evaluation");
        assertThat(flipped.at("/held_out/split").asText()).isEqualTo("tuning");
        assertThat(flipped.at("/held_out/people").asInt()).isEqualTo(5);
    }

    @Test
    void refusesAnUnknownHalf(@TempDir Path tmp) {
        assertThat(org.likeness.cli.Main.run(System.getenv(), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
                LabMain.COMMANDS, "eval", "calibrate", "--images", tmp.toString(), "--split", "both")).isEqualTo(ExitCodes.ERROR);
    }

    private static JsonNode calibrate(Path images, Path tmp, String split) throws Exception {
        Path json = tmp.resolve(images.getFileName() + "-" + split + ".json");
        Path scan = tmp.resolve(images.getFileName() + ".jsonl.gz");
        StringWriter err = new StringWriter();
        int rc = org.likeness.cli.Main.run(System.getenv(), new PrintWriter(new StringWriter(), true), new PrintWriter(err, true),
                LabMain.COMMANDS, "eval", "calibrate", "--images", images.toString(), "--scan", scan.toString(), "--split", split,
                "--fmr", "0.05", "--json-out", json.toString());
        assertThat(rc).as(err.toString()).isEqualTo(ExitCodes.OK);
        return new ObjectMapper().readTree(json.toFile());
    }

    /** The first {@code n} people (by name) of a half with at least 3 photos. */
    private static List<Path> people(Path lfw, PersonSplit half, int n) throws Exception {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(lfw)) {
            for (Path p : s.sorted().toList()) {
                if (out.size() < n && PersonSplit.of(p.getFileName().toString()) == half) {
                    try (Stream<Path> photos = Files.list(p)) {
                        if (photos.count() >= 3) {
                            out.add(p);
                        }
                    }
                }
            }
        }
        return out;
    }

    private static void copy3(Path person, Path into) throws Exception {
        Path dir = Files.createDirectories(into.resolve(person.getFileName().toString()));
        try (Stream<Path> s = Files.list(person)) {
            for (Path p : s.sorted().limit(3).toList()) {
                Files.copy(p, dir.resolve(p.getFileName().toString()));
            }
        }
    }
}
