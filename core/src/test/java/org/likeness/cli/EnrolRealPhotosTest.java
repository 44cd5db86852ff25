package org.likeness.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.Models;
import org.likeness.SharedData;
import org.likeness.cli.registry.RegistryCommands;
import org.likeness.face.Face;
import org.likeness.face.MatchThreshold;
import org.likeness.image.DecodedImage;
import org.likeness.image.ImageDecoder;
import org.likeness.registry.Identification;
import org.likeness.registry.MasterKey;
import org.likeness.registry.MatchPolicy;
import org.likeness.registry.Registry;
import org.likeness.registry.RegistryLocation;
import org.likeness.registry.TemplateGallery;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Enrolment through the real face pipeline, then fail-closed identification at the calibrated threshold. */
class EnrolRealPhotosTest {
    @TempDir
    Path tmp;

    @CommandLine.Command(name = "likeness")
    static final class Root {
    }

    private int run(Map<String, String> env, StringWriter err, String... args) {
        CommandLine root = RegistryCommands.addTo(new CommandLine(new Root()), PipelineFaceSource::openDefault, env);
        root.setOut(new PrintWriter(new StringWriter(), true));
        root.setErr(new PrintWriter(err, true));
        return root.execute(args);
    }

    private static float[] vector(Path photo) throws Exception {
        try (DecodedImage img = new ImageDecoder().decode(photo.toString(), Files.readAllBytes(photo))) {
            return Models.pipeline().faces(img.bgr()).stream().max(Comparator.comparingDouble(f -> f.box().area()))
                    .map(Face::embedding).orElseThrow().vector();
        }
    }

    @Test
    void enrolledPeopleAreRecognisedAndStrangersStayUnknown() throws Exception {
        Path lfw = SharedData.require("lfw-dev/images");
        Path group = SharedData.require("face_recognition-examples/multi_face/obama_and_biden.jpg");
        Models.store();
        Map<String, String> env = new HashMap<>();
        env.put("LIKENESS_HOME", tmp.toString());
        StringWriter err = new StringWriter();
        assertThat(run(env, err, "registry", "init")).isZero();
        assertThat(run(env, err, "subject", "add", "--id", "aaron", "--name", "Aaron Peirsol",
                lfw.resolve("Aaron_Peirsol/Aaron_Peirsol_0001.jpg").toString())).as(err.toString()).isZero();
        StringWriter groupErr = new StringWriter();
        assertThat(run(env, groupErr, "subject", "add", "--id", "pair", "--name", "Two people", group.toString())).isNotZero();
        assertThat(groupErr.toString()).contains("obama_and_biden.jpg");
        assertThat(run(env, err, "subject", "add", "--id", "first", "--name", "First of two", "--face", "1", group.toString()))
                .as(err.toString()).isZero();

        RegistryLocation loc = RegistryLocation.resolve(null, env);
        float threshold = MatchThreshold.forModel(Models.pipeline().embedderId());
        try (MasterKey key = MasterKey.resolve(loc.defaultKeyFile(), env);
             Registry r = Registry.open(loc, key, "test", MatchPolicy.withProvisionalMargin(threshold), TemplateGallery.Search.AUTO)) {
            String model = Models.pipeline().embedderId();
            Identification same = r.identify(vector(lfw.resolve("Aaron_Peirsol/Aaron_Peirsol_0002.jpg")), model);
            assertThat(same.subject()).contains("aaron");
            Identification stranger = r.identify(vector(lfw.resolve("AJ_Cook/AJ_Cook_0001.jpg")), model);
            assertThat(stranger.subject()).isEmpty();
            assertThat(r.verifyLog().intact()).isTrue();
        }
    }
}
