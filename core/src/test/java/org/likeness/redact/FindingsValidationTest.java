package org.likeness.redact;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.SharedData;
import org.likeness.face.Box;
import org.likeness.model.Sha256;
import org.likeness.scan.Progress;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** findings.json is checked when read back: a corrupt box is named, a box outside its image withholds that image. */
class FindingsValidationTest {
    @TempDir
    Path tmp;

    private Path findings(String box) throws Exception {
        return Files.writeString(tmp.resolve("findings.json"), "{\"faces\": [{\"path\": \"a.jpg\", \"status\": \"consented\", \"box\": [1, 2, 3, 4]},"
                + " {\"path\": \"b.jpg\", \"status\": \"unknown\", \"box\": " + box + "}], \"images\": []}");
    }

    @Test
    void aCorruptBoxNamesTheFileTheFaceAndTheField() throws Exception {
        assertThatThrownBy(() -> RedactionPlan.fromFindings(findings("[10, 10, -5, 20]"), Set.of("consented")))
                .hasMessageContaining("findings.json: faces[1] (b.jpg): box width must be above 0");
        assertThatThrownBy(() -> RedactionPlan.fromFindings(findings("[10, 10, 5, 0]"), Set.of("consented")))
                .hasMessageContaining("box height must be above 0");
        assertThatThrownBy(() -> RedactionPlan.fromFindings(findings("[10, \"x\", 5, 5]"), Set.of("consented")))
                .hasMessageContaining("faces[1] (b.jpg): box y is not a finite number");
        assertThatThrownBy(() -> RedactionPlan.fromFindings(findings("[10, 10, 5, 5]"), Set.of("consented")))
                .hasMessageContaining("findings.json: faces[0] (a.jpg): no such image in images[]");
    }

    private Path listing(String faces, String images) throws Exception {
        return Files.writeString(tmp.resolve("findings.json"), "{\"faces\": [" + faces + "], \"images\": [" + images + "]}");
    }

    private static final String SHA = "\"" + "ab".repeat(32) + "\"";

    @Test
    void facesAndImagesMustAgree() throws Exception {
        String face = "{\"path\": \"a.jpg\", \"status\": \"unknown\", \"box\": [1, 2, 3, 4]}";
        assertThat(RedactionPlan.fromFindings(listing(face, "{\"path\": \"a.jpg\", \"sha256\": " + SHA + ", \"faces\": 1}"),
                Set.of("consented")).images()).hasSize(1);
        // a face's entry deleted (or lost): the image would be copied with its face as if it had none
        assertThatThrownBy(() -> RedactionPlan.fromFindings(listing("", "{\"path\": \"a.jpg\", \"sha256\": " + SHA
                + ", \"faces\": 1}"), Set.of("consented")))
                .hasMessageContaining("findings.json: image a.jpg: \"faces\" says 1 but faces[] lists 0 for it");
        assertThatThrownBy(() -> RedactionPlan.fromFindings(listing(face, "{\"path\": \"a.jpg\", \"sha256\": " + SHA
                + ", \"faces\": -5}"), Set.of("consented")))
                .hasMessageContaining("image a.jpg: \"faces\" is not a count");
        assertThatThrownBy(() -> RedactionPlan.fromFindings(listing(face, "{\"path\": \"a.jpg\", \"sha256\": " + SHA
                + ", \"faces\": 1}, {\"path\": \"a.jpg\", \"sha256\": " + SHA + ", \"faces\": 1}"), Set.of("consented")))
                .hasMessageContaining("image a.jpg is listed twice");
    }

    @Test
    void aBoxOutsideTheImageIsNotReportedAsRedacted() throws Exception {
        Path lfw = SharedData.require("lfw-dev/images");
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.copy(lfw.resolve("Aaron_Peirsol/Aaron_Peirsol_0001.jpg"), data.resolve("outside.jpg"));
        Files.copy(lfw.resolve("Aaron_Peirsol/Aaron_Peirsol_0002.jpg"), data.resolve("clipped.jpg"));
        RedactionPlan plan = RedactionPlan.of("test", "test", Set.of("consented"), List.of(
                new PlannedImage("outside.jpg", Sha256.of(data.resolve("outside.jpg")), 1, List.of(new Box(5000, 5000, 80, 80))),
                new PlannedImage("clipped.jpg", Sha256.of(data.resolve("clipped.jpg")), 2,
                        List.of(new Box(-40, -40, 100, 100), new Box(200, 200, 200, 200)))));
        Manifest m = new Redactor(plan, RedactMode.BLUR, 1).run(data, tmp.resolve("out"), false, Progress.none());
        Map<String, ManifestEntry> byPath = m.images().stream().collect(Collectors.toMap(ManifestEntry::path, e -> e));
        assertThat(byPath.get("outside.jpg").action()).isEqualTo(ManifestEntry.WITHHELD);
        assertThat(byPath.get("outside.jpg").reason()).contains("lies outside the 250x250 image");
        assertThat(byPath.get("outside.jpg").facesChanged()).isZero();
        assertThat(byPath.get("clipped.jpg").action()).as("boxes partly outside are clipped").isEqualTo(ManifestEntry.REDACTED);
        assertThat(byPath.get("clipped.jpg").facesChanged()).isEqualTo(2);
        assertThat(tmp.resolve("out/outside.jpg")).doesNotExist();
    }
}
