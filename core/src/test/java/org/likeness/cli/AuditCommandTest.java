package org.likeness.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.Models;
import org.likeness.SharedData;
import org.likeness.cli.registry.RegistryCommands;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An audit of a folder built from lfw-dev, with a registry set up to give every status: consented, revoked, expired,
 * no consent, and strangers who were never enrolled. The audit must report exactly those statuses.
 */
class AuditCommandTest {
    @TempDir
    Path tmp;

    @CommandLine.Command(name = "likeness")
    static final class Root {
    }

    private int registry(Map<String, String> env, String... args) {
        CommandLine root = RegistryCommands.addTo(new CommandLine(new Root()), PipelineFaceSource::openDefault, env);
        StringWriter err = new StringWriter();
        root.setOut(new PrintWriter(new StringWriter(), true));
        root.setErr(new PrintWriter(err, true));
        int code = root.execute(args);
        assertThat(code).as(String.join(" ", args) + ": " + err).isZero();
        return code;
    }

    private static double centreDistance(JsonNode face) {
        JsonNode b = face.get("box");
        return Math.hypot(b.get(0).asDouble() + b.get(2).asDouble() / 2 - 125, b.get(1).asDouble() + b.get(3).asDouble() / 2 - 125);
    }

    @Test
    void reportsExactlyTheStatusesThatWereSetUp() throws Exception {
        Path lfw = SharedData.require("lfw-dev/images");
        Models.store();
        Map<String, String> env = new HashMap<>();
        env.put("LIKENESS_HOME", tmp.resolve("home").toString());
        Map<String, String> expected = Map.of(
                "George_W_Bush", "consented",
                "Colin_Powell", "revoked",
                "Jean_Chretien", "expired",
                "Ariel_Sharon", "no_consent",
                "Hugo_Chavez", "unknown",
                "Serena_Williams", "unknown");
        registry(env, "registry", "init");
        for (String person : new String[]{"George_W_Bush", "Colin_Powell", "Jean_Chretien", "Ariel_Sharon"}) {
            registry(env, "subject", "add", "--id", person, "--name", person.replace('_', ' '),
                    lfw.resolve(person + "/" + person + "_0001.jpg").toString());
        }
        registry(env, "consent", "grant", "George_W_Bush", "--purpose", "training");
        registry(env, "consent", "grant", "Colin_Powell", "--purpose", "training");
        registry(env, "consent", "revoke", "Colin_Powell", "--purpose", "training");
        registry(env, "consent", "grant", "Jean_Chretien", "--purpose", "training", "--from", "2020-01-01", "--until", "2021-01-01");
        registry(env, "consent", "grant", "Ariel_Sharon", "--purpose", "evaluation");

        Path data = tmp.resolve("dataset");
        Files.createDirectories(data);
        for (String person : expected.keySet()) {
            for (String n : new String[]{"0002", "0003"}) {
                Files.copy(lfw.resolve(person + "/" + person + "_" + n + ".jpg"), data.resolve(person + "_" + n + ".jpg"));
            }
        }
        Path report = tmp.resolve("report");
        PrintStream err = System.err;
        System.setErr(new PrintStream(new ByteArrayOutputStream()));
        int code;
        try {
            code = new CommandLine(new AuditCommand(env)).execute(data.toString(), "--purpose", "training", "--report", report.toString());
        } finally {
            System.setErr(err);
        }
        assertThat(code).isEqualTo(ExitCodes.NOT_CONSENTED);

        JsonNode f = new ObjectMapper().readTree(report.resolve("findings.json").toFile());
        assertThat(f.get("purpose").asText()).isEqualTo("training");
        assertThat(f.get("summary").get("images").asInt()).isEqualTo(12);
        // each photo is about its named person: the face nearest the centre of the 250×250 image
        Map<String, JsonNode> primary = new HashMap<>();
        for (JsonNode face : f.get("faces")) {
            String path = face.get("path").asText();
            JsonNode cur = primary.get(path);
            if (cur == null || centreDistance(face) < centreDistance(cur)) {
                primary.put(path, face);
            }
        }
        assertThat(primary).hasSize(12);
        for (JsonNode face : primary.values()) {
            String path = face.get("path").asText();
            String person = path.substring(0, path.lastIndexOf('_'));
            assertThat(face.get("status").asText()).as(path).isEqualTo(expected.get(person));
            if (!expected.get(person).equals("unknown")) {
                assertThat(face.get("subject").asText()).as(path).isEqualTo(person);
            }
        }
        JsonNode s = f.get("summary");
        assertThat(s.get("consented").asInt()).isEqualTo(2);
        assertThat(s.get("revoked").asInt()).isEqualTo(2);
        assertThat(s.get("expired").asInt()).isEqualTo(2);
        assertThat(s.get("no_consent").asInt()).isEqualTo(2);
        assertThat(s.get("unknown").asInt()).isEqualTo(f.get("faces").size() - 8);
        assertThat(Files.readAllLines(report.resolve("findings.csv"))).hasSize(1 + f.get("faces").size());
        String html = Files.readString(report.resolve("report.html"));
        assertThat(html).contains("may not be used for training").contains("Identities").doesNotContain("src=\"http");
        rendersInChromium(report.resolve("report.html"));
    }

    /** The page as a real browser lays it out: the DOM after load and a screenshot of it. */
    private void rendersInChromium(Path html) throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        if (!Files.isExecutable(chromium)) {
            assertThat(System.getenv("CI")).as("CI installs Debian's chromium (scripts/test.sh)").isNotEqualTo("true");
            org.junit.jupiter.api.Assumptions.abort("skipped: /usr/bin/chromium is not installed (Debian package chromium)");
        }
        Path png = tmp.resolve("report.png");
        String[] flags = {"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createTempDirectory(tmp, "chromium"), "--window-size=1100,1500"};
        java.util.List<String> dump = new java.util.ArrayList<>(java.util.List.of(chromium.toString()));
        dump.addAll(java.util.List.of(flags));
        dump.addAll(java.util.List.of("--dump-dom", html.toUri().toString()));
        Process p = new ProcessBuilder(dump).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String dom = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(dom).contains("may not be used for training").contains("<svg").contains("data:image/jpeg;base64,");
        java.util.List<String> shot = new java.util.ArrayList<>(java.util.List.of(chromium.toString()));
        shot.addAll(java.util.List.of(flags));
        shot.addAll(java.util.List.of("--screenshot=" + png, html.toUri().toString()));
        Process q = new ProcessBuilder(shot).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(q.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(1100);
        // the verdict banner is red (#c62828) near the top-left of the page
        int rgb = img.getRGB(60, 40) & 0xffffff;
        assertThat((rgb >> 16) & 0xff).isGreaterThan(150);
        assertThat(rgb & 0xff).isLessThan(90);
    }
}
