package org.likeness.lab;

import org.likeness.cli.ExitCodes;
import org.likeness.cli.Main;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.SharedData;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class EvalFingerprintCommandTest {

    @Test
    void printsEveryCopyVisibilityAndTheNullTail(@TempDir Path tmp) throws Exception {
        Path images = SharedData.require("lfw-dev").resolve("images/Aaron_Peirsol");
        Path json = tmp.resolve("fp.json");
        String out = labStdout("eval", "fingerprint", "--images", images.toString(), "--limit", "3", "--decoys", "2",
                "--json-out", json.toString());
        assertThat(out).contains("3 photos, 3 recipients, threshold z 5.46")
                .containsPattern("jpeg_70_resize_0_75_crop_5 +1\\.0000 +0\\.0000")
                .contains("PSNR mean").contains("null: ");
        assertThat(Files.readString(json)).contains("\"wrong_rate\" : 0.0").contains("\"null_tail\"");
    }

    @Test
    void leakersPrintsEveryCopyAndCoalitionPerPhotoAndPerDataset(@TempDir Path tmp) throws Exception {
        Path images = SharedData.require("lfw-dev").resolve("images");
        Path json = tmp.resolve("leak.json");
        String out = labStdout("eval", "fingerprint", "--images", images.toString(), "--limit", "2", "--recipients", "20",
                "--leakers", "--split", "evaluation", "--dataset-sizes", "2", "--json-out", json.toString());
        assertThat(out).contains("2 photos, 20 recipients")
                .containsPattern("rotate_90 +1 +2 +2 +1\\.0000 +0 \\|")
                .containsPattern("mirror +1 +2 +2 +1\\.0000 +0 \\|")
                .containsPattern("average +2 +2 +2 +1\\.0000 +0 \\| +1 +1/1 +0 +2\\.0");
        String j = Files.readString(json);
        assertThat(j).contains("\"split\" : \"evaluation\"").contains("\"suspect\" : \"interleave\"").doesNotContain("\"photos_with_innocent_named\" : 1");
    }

    @Test
    void refusesAFolderWithoutPhotos(@TempDir Path tmp) {
        assertThat(org.likeness.cli.Main.run(System.getenv(), new java.io.PrintWriter(new java.io.StringWriter()),
                new java.io.PrintWriter(new java.io.StringWriter()), LabMain.COMMANDS, "eval", "fingerprint", "--images",
                tmp.toString())).isEqualTo(ExitCodes.ERROR);
    }

    /** What a lab command printed on stdout (stderr swallowed). */
    private static String labStdout(String... args) {
        java.io.StringWriter out = new java.io.StringWriter();
        org.likeness.cli.Main.run(System.getenv(), new java.io.PrintWriter(out, true),
                new java.io.PrintWriter(new java.io.StringWriter()), LabMain.COMMANDS, args);
        return out.toString();
    }
}
