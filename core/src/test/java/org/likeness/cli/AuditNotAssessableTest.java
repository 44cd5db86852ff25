package org.likeness.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.Models;
import org.likeness.SharedData;
import org.likeness.cli.registry.RegistryCommands;
import org.likeness.face.MatchThreshold;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A person enrolled from three photos is recognised in their other photos; a face too small to identify is reported
 * as not assessable (with the reason), not as unknown, and the audit still fails closed (exit 3).
 */
class AuditNotAssessableTest {
    @TempDir
    Path tmp;

    @CommandLine.Command(name = "likeness")
    static final class Root {
    }

    private void registry(Map<String, String> env, String... args) {
        CommandLine root = RegistryCommands.addTo(new CommandLine(new Root()), PipelineFaceSource::openDefault, env);
        StringWriter err = new StringWriter();
        root.setOut(new PrintWriter(new StringWriter(), true));
        root.setErr(new PrintWriter(err, true));
        assertThat(root.execute(args)).as(String.join(" ", args) + ": " + err).isZero();
    }

    @Test
    void multiPhotoSubjectRecognisedAndTinyFaceNotAssessable() throws Exception {
        Path lfw = SharedData.require("lfw-dev/images");
        Models.store();
        Map<String, String> env = new HashMap<>();
        env.put("LIKENESS_HOME", tmp.resolve("home").toString());
        registry(env, "registry", "init");
        String p = "Colin_Powell";
        registry(env, "subject", "add", "--id", p, "--name", "Colin Powell",
                lfw.resolve(p + "/" + p + "_0001.jpg").toString(), lfw.resolve(p + "/" + p + "_0002.jpg").toString(),
                lfw.resolve(p + "/" + p + "_0003.jpg").toString());
        registry(env, "consent", "grant", p, "--purpose", "training");

        Path data = tmp.resolve("dataset");
        Files.createDirectories(data);
        for (String n : new String[]{"0004", "0005", "0006"}) {
            Files.copy(lfw.resolve(p + "/" + p + "_" + n + ".jpg"), data.resolve(p + "_" + n + ".jpg"));
        }
        // a stranger's photo shrunk to 100×100 in the middle of a grey 250×250 canvas: eyes ~ 17 px apart
        Mat src = Imgcodecs.imread(lfw.resolve("Tony_Blair/Tony_Blair_0001.jpg").toString());
        Mat small = new Mat();
        Imgproc.resize(src, small, new Size(100, 100), 0, 0, Imgproc.INTER_AREA);
        Mat canvas = new Mat(250, 250, src.type(), new Scalar(128, 128, 128));
        small.copyTo(canvas.submat(new Rect(75, 75, 100, 100)));
        assertThat(Imgcodecs.imwrite(data.resolve("tiny.png").toString(), canvas)).isTrue();

        Path report = tmp.resolve("report");
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed));
        System.setErr(new PrintStream(new ByteArrayOutputStream()));
        int code;
        try {
            code = new CommandLine(new AuditCommand(env)).execute(data.toString(), "--purpose", "training", "--report", report.toString());
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        assertThat(code).as("a not-assessable face is not consented").isEqualTo(ExitCodes.NOT_CONSENTED);
        assertThat(printed.toString()).contains("not assessable");

        JsonNode f = new ObjectMapper().readTree(report.resolve("findings.json").toFile());
        int powell = 0;
        JsonNode tiny = null;
        for (JsonNode face : f.get("faces")) {
            String path = face.get("path").asText();
            if (path.equals("tiny.png")) {
                tiny = face;
            } else if (face.get("subject").asText("").equals(p)) {
                assertThat(face.get("status").asText()).isEqualTo("consented");
                powell++;
            }
        }
        assertThat(powell).as("Colin Powell's three other photos").isEqualTo(3);
        assertThat(tiny).as("the shrunk face is found").isNotNull();
        assertThat(tiny.get("status").asText()).isEqualTo("not_assessable");
        assertThat(tiny.get("subject").isNull()).isTrue();
        assertThat(tiny.get("reason").asText()).startsWith("too small");
        assertThat(f.get("summary").get("not_assessable").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(f.get("summary").get("unknown").asInt() + f.get("summary").get("not_assessable").asInt()
                + f.get("summary").get("consented").asInt()).isEqualTo(f.get("faces").size());
        assertThat(Files.readString(report.resolve("report.html"))).contains("</b>not assessable</div>");
        List<String> csv = Files.readAllLines(report.resolve("findings.csv"));
        assertThat(csv.get(0)).endsWith(",decided_by,reason");
        assertThat(csv).anySatisfy(l -> assertThat(l).startsWith("tiny.png,").contains(",not_assessable,").contains("too small"));
    }

    /**
     * One subject enrolled from 101 photos gives a stranger 101 chances: the threshold is the one for 101 comparisons
     * (per-comparison FMR 0.1 % / 101 &lt; 1e-5, so the 1e-6 point), not the one for one subject (FMR 1e-3, the 1e-4 point).
     */
    @Test
    void thresholdCountsTemplatesNotSubjects() throws Exception {
        Path lfw = SharedData.require("lfw-dev/images");
        Models.store();
        Map<String, String> env = new HashMap<>();
        env.put("LIKENESS_HOME", tmp.resolve("home").toString());
        registry(env, "registry", "init");
        String p = "George_W_Bush"; // --face 1: a few of his photos show others too; any face is a template
        List<String> args = new java.util.ArrayList<>(List.of("subject", "add", "--id", p, "--name", "George W Bush", "--face", "1"));
        try (var photos = Files.list(lfw.resolve(p))) {
            photos.sorted().limit(101).forEach(f -> args.add(f.toString()));
        }
        registry(env, args.toArray(String[]::new));
        Path data = tmp.resolve("dataset");
        Files.createDirectories(data);
        Files.copy(lfw.resolve("Tony_Blair/Tony_Blair_0001.jpg"), data.resolve("blair.jpg"));
        Path report = tmp.resolve("report");
        PrintStream out = System.out;
        PrintStream err = System.err;
        System.setOut(new PrintStream(new ByteArrayOutputStream()));
        System.setErr(new PrintStream(new ByteArrayOutputStream()));
        try {
            new CommandLine(new AuditCommand(env)).execute(data.toString(), "--purpose", "training", "--report", report.toString());
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        JsonNode f = new ObjectMapper().readTree(report.resolve("findings.json").toFile());
        assertThat(f.get("match_threshold").asDouble()).isCloseTo(MatchThreshold.FR_FEATURE_FMR_1E6,
                org.assertj.core.api.Assertions.within(1e-6));
    }
}
