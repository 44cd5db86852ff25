package org.likeness.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.Models;
import org.likeness.SharedData;
import org.likeness.app.RegistrySession;
import org.likeness.face.FacePipeline;
import org.likeness.json.Json;
import org.likeness.model.ModelStore;
import org.likeness.registry.MasterKey;
import org.likeness.registry.Registry;
import org.likeness.registry.RegistryLocation;

/** A real audit job on lfw-dev photos gives the findings the command line gives for the same files. */
class AuditJobTest {
    @TempDir
    Path tmp;

    static final String[] PHOTOS = {"George_W_Bush/George_W_Bush_0001.jpg", "Colin_Powell/Colin_Powell_0002.jpg",
            "Hugo_Chavez/Hugo_Chavez_0001.jpg", "Serena_Williams/Serena_Williams_0001.jpg"};

    @Test
    void anAuditJobFindsWhatTheCliFinds() throws Exception {
        Path lfw = SharedData.require("lfw-dev/images");
        Models.store();
        Map<String, String> env = new HashMap<>();
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        env.put("LIKENESS_HOME", tmp.resolve("home").toString());
        env.put(MasterKey.ENV, Base64.getEncoder().encodeToString(key));
        try (MasterKey k = MasterKey.resolve(null, env)) {
            Registry.init(RegistryLocation.resolve(null, env), k, "test");
        }
        assertThat(cli(env, "subject", "add", "--id", "George_W_Bush", "--name", "George W Bush",
                lfw.resolve("George_W_Bush/George_W_Bush_0001.jpg").toString())).isZero();
        assertThat(cli(env, "consent", "grant", "George_W_Bush", "--purpose", "training")).isZero();
        Path data = Files.createDirectories(tmp.resolve("dataset"));
        for (String p : PHOTOS) {
            Files.copy(lfw.resolve(p), data.resolve(Path.of(p).getFileName()));
        }
        Files.writeString(data.resolve("broken.jpg"), "not a picture");

        assertThat(cli(env, "audit", data.toString(), "--purpose", "training", "--at", "2027-01-01T00:00:00Z", "--report",
                tmp.resolve("cli-report").toString())).isEqualTo(3);

        UseCaseRunners runners = new UseCaseRunners(new RegistrySession(null, env),
                () -> FacePipeline.open(ModelStore.fromEnvironment(), FacePipeline.Options.defaults(1)));
        try (Registry r = Registry.open(RegistryLocation.resolve(null, env), MasterKey.resolve(null, env), "serve");
             JobEngine engine = new JobEngine(r.jobs(), tmp.resolve("home/jobs"), runners, new JobEngine.Config(1, 2))) {
            Job job = engine.submit(JobKind.AUDIT, Map.of("dataset", data.toString(), "label", data.toString(), "purpose", "training",
                    "at", "2027-01-01T00:00:00Z"), org.likeness.registry.Organisations.DEFAULT, "acct-1");
            JobEngineTest.await("audit job finished", () -> engine.get(job.id()).state().finished());
            Job done = engine.get(job.id());
            assertThat(done.state()).as(String.valueOf(done.error())).isEqualTo(JobState.SUCCEEDED);
            assertThat(done.result().get("verdict").asText()).isEqualTo("not_consented");
            assertThat(done.result().get("consented").asInt()).isEqualTo(1);
            assertThat(done.result().get("failed").asInt()).isEqualTo(1);
            assertThat(done.problems()).isEqualTo(1);
            assertThat(Files.readString(done.folder().resolve(JobEngine.PROBLEMS_FILE))).startsWith("broken.jpg: ");

            JsonNode fromJob = Json.MAPPER.readTree(done.folder().resolve(UseCaseRunners.REPORT).resolve("findings.json").toFile());
            JsonNode fromCli = Json.MAPPER.readTree(tmp.resolve("cli-report/findings.json").toFile());
            assertThat(fromJob.get("faces")).isEqualTo(fromCli.get("faces"));
            assertThat(fromJob.get("summary")).isEqualTo(fromCli.get("summary"));
            assertThat(fromJob.get("identities")).isEqualTo(fromCli.get("identities"));
            assertThat(fromJob.get("match_threshold")).isEqualTo(fromCli.get("match_threshold"));
            assertThat(fromJob.get("failures")).isEqualTo(fromCli.get("failures"));
            assertThat(fromJob.get("faces")).hasSize(4);
        }
    }

    private static int cli(Map<String, String> env, String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = org.likeness.cli.Main.run(env, new PrintWriter(o, true), new PrintWriter(e, true), args);
        if (code != 0 && code != 3) {
            System.err.println(String.join(" ", args) + ": " + e);
        }
        return code;
    }
}
