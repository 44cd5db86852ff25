package org.likeness.lab;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.SharedData;
import org.likeness.cli.ExitCodes;
import org.likeness.eval.HalfPairs;
import org.likeness.eval.PersonSplit;
import org.likeness.scan.ScanFile;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EvalPairsCommandTest {

    @Test
    void drawsEvaluationHalfPairsWritesThemAndRunsTheProtocol(@TempDir Path tmp) throws Exception {
        Path images = SharedData.require("lfw-dev/images");
        Path pairs = tmp.resolve("pairs.txt");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = org.likeness.cli.Main.run(System.getenv(), new PrintWriter(out, true), new PrintWriter(err, true), LabMain.COMMANDS,
                "eval", "pairs", "--images", images.toString(), "--split", "evaluation", "--per-fold", "2", "--write-pairs", pairs.toString(),
                "--scan", tmp.resolve("scan.jsonl.gz").toString());
        assertThat(rc).as(err.toString()).isEqualTo(ExitCodes.OK);
        assertThat(out.toString()).contains("40 pairs drawn among").contains("of the evaluation half (10 folds of 2 same + 2 different")
                .containsPattern("accuracy [01]\\.\\d{4} ± ");
        assertThat(Files.readString(pairs)).isEqualTo(HalfPairs.generate(HalfPairs.list(images), PersonSplit.EVALUATION, 10, 2, 1));

        // a pairs file of the first two folds, on the same scan: the scan is read, not cut down to those pairs' images
        Path scan = tmp.resolve("scan.jsonl.gz");
        long before = ScanFile.readAll(scan).size();
        List<String> lines = Files.readAllLines(pairs);
        Path two = tmp.resolve("two-folds.txt");
        Files.writeString(two, "2\t2\n" + String.join("\n", lines.subList(1, 9)) + "\n");
        StringWriter again = new StringWriter();
        rc = org.likeness.cli.Main.run(System.getenv(), new PrintWriter(again, true), new PrintWriter(err, true), LabMain.COMMANDS,
                "eval", "pairs", "--images", images.toString(), "--pairs", two.toString(), "--scan", scan.toString());
        assertThat(rc).as(err.toString()).isEqualTo(ExitCodes.OK);
        assertThat(again.toString()).containsPattern("accuracy [01]\\.\\d{4} .* images 1[0-6] ");
        assertThat(ScanFile.readAll(scan)).as("records kept").hasSize((int) before);
        assertThat(before).isGreaterThan(70);
    }

    @Test
    void needsAPairsFileOrAHalf() {
        StringWriter err = new StringWriter();
        int rc = org.likeness.cli.Main.run(System.getenv(), new PrintWriter(new StringWriter()), new PrintWriter(err, true), LabMain.COMMANDS,
                "eval", "pairs", "--images", "/nonexistent");
        assertThat(rc).isEqualTo(ExitCodes.ERROR);
        assertThat(err.toString()).contains("give --pairs FILE, --split HALF, or both");
    }
}
