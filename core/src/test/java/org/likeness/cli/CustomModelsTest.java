package org.likeness.cli;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.Models;
import org.likeness.SharedData;
import org.likeness.model.ModelCatalogue;
import org.likeness.scan.ScanFile;
import org.likeness.scan.ScanHeader;
import org.likeness.scan.ScanRecord;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Users bring their own ONNX models with a descriptor; their vectors carry their own id. */
class CustomModelsTest {
    @TempDir
    Path tmp;

    private static int run(String... args) {
        return QuietCli.run(args);
    }

    @Test
    void yunetFromSharedModelsFindsTheFacesOfAGroupPhoto() throws Exception {
        Path yunet = SharedData.root().resolve("models/yunet/yunet_n_dynamic.onnx");
        Assumptions.assumeTrue(Files.exists(yunet), "skipped: " + yunet + " is absent (../shared/models)");
        Path multi = SharedData.require("face_recognition-examples/multi_face");
        Models.store();
        Path model = tmp.resolve("yunet.onnx");
        Files.copy(yunet, model);
        Path out = tmp.resolve("s.jsonl");
        assertThat(run("scan", multi.toString(), "-o", out.toString(), "--detector", model.toString(), "--no-progress"))
                .isEqualTo(ExitCodes.ERROR); // no descriptor yet: refused with the instruction
        Files.writeString(tmp.resolve("yunet.json"), "{\"family\": \"yunet\"}");
        assertThat(run("scan", multi.toString(), "-o", out.toString(), "--detector", model.toString(), "--no-progress"))
                .isEqualTo(ExitCodes.OK);
        List<ScanRecord> recs = ScanFile.readAll(out);
        assertThat(recs.stream().mapToInt(r -> r.faces().size()).sum()).isGreaterThanOrEqualTo(6);
        assertThat(ScanFile.readHeader(out).detector()).startsWith("custom-yunet-");
    }

    @Test
    void aCustomEmbedderGetsItsOwnIdSoItsVectorsAreNeverComparedWithTheDefault() throws Exception {
        Path photo = SharedData.require("lfw-dev/images/Aaron_Peirsol/Aaron_Peirsol_0001.jpg");
        Path model = tmp.resolve("mine.onnx");
        Files.copy(Models.store().require(ModelCatalogue.ARCFACE512), model);
        Files.writeString(tmp.resolve("mine.json"),
                "{\"family\": \"embedder\", \"size\": 112, \"layout\": \"NCHW\", \"channels\": \"RGB\", \"mean\": 127.5, \"std\": 128}");
        Path out = tmp.resolve("e.jsonl");
        assertThat(run("scan", photo.toString(), "-o", out.toString(), "--embedder", model.toString(), "--no-progress"))
                .isEqualTo(ExitCodes.OK);
        ScanHeader h = ScanFile.readHeader(out);
        assertThat(h.embedder()).startsWith("custom-mine-").isNotEqualTo(ModelCatalogue.ARCFACE512);
        Path def = tmp.resolve("d.jsonl");
        assertThat(run("scan", photo.toString(), "-o", def.toString(), "--no-progress")).isEqualTo(ExitCodes.OK);
        // same weights and normalisation: the same numbers, under a different id
        float[] a = ScanFile.readAll(out).get(0).faces().get(0).embedding().vector();
        float[] b = ScanFile.readAll(def).get(0).faces().get(0).embedding().vector();
        assertThat(a).containsExactly(b, org.assertj.core.data.Offset.offset(1e-5f));
        assertThat(run("scan", photo.toString(), "-o", def.toString(), "--resume", "--embedder", model.toString(), "--no-progress"))
                .isEqualTo(ExitCodes.ERROR); // resuming a default scan with another embedder is refused
        assertThat(ScanFile.readHeader(def).embedder()).isEqualTo(ModelCatalogue.ARCFACE512); // and leaves it as it was
        try (var s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".resume"));
        }
    }
}
