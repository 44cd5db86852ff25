package org.likeness.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.Models;
import org.likeness.SharedData;
import org.likeness.cli.Main;
import org.likeness.json.Json;

/**
 * SIGKILL of a `likeness serve` child while an audit job runs: after a restart the job resumes from its scan cache
 * (attempt 2, the records scanned before the kill are kept) and succeeds with every photo audited; `log verify`
 * passes. A second job cancelled over HTTP while it runs ends cancelled.
 */
class ServeAuditKillTest {
    @TempDir
    Path tmp;
    private final ChildServer child = new ChildServer();
    private final HttpClient http = child.http;

    private static final String ADMIN_PASSWORD = "admin password for the audit kill test";
    /** Photos in the audited zip: enough that the kill lands mid-scan on a loaded machine. */
    private static final int PHOTOS = 300;

    @Test
    void aKilledServerResumesItsAuditJobAndACancelledJobEndsCancelled() throws Exception {
        Path lfw = SharedData.require("lfw-dev/images");
        Path home = Files.createDirectories(tmp.resolve("home"));
        Files.createSymbolicLink(home.resolve("models"), Models.store().home().resolve("models"));
        Map<String, String> env = Map.of("LIKENESS_HOME", home.toString(), "LIKENESS_ADMIN_PASSWORD", ADMIN_PASSWORD);
        ChildServer.cli(env, "registry", "init");
        ChildServer.cli(env, "serve", "--create-admin", "root");
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        List<Path> people;
        try (Stream<Path> s = Files.list(lfw)) {
            people = s.sorted().limit(PHOTOS).toList();
        }
        try (ZipOutputStream z = new ZipOutputStream(zip)) {
            for (Path person : people) {
                Path first;
                try (Stream<Path> s = Files.list(person)) {
                    first = s.sorted().findFirst().orElseThrow();
                }
                z.putNextEntry(new ZipEntry(first.getFileName().toString()));
                z.write(Files.readAllBytes(first));
                z.closeEntry();
            }
        }

        Process server = ChildServer.start(home, "first.log");
        String base = ChildServer.waitForPort(home.resolve("first.log"), server);
        String admin = child.adminKey(base, ADMIN_PASSWORD);
        JsonNode holder = child.post(base, admin, "/accounts", Map.of("name", "holder", "role", "holder"));
        String key = child.post(base, admin, "/keys", Map.of("account", holder.get("id").asText())).get("secret").asText();
        String id = audit(base, key, zip.toByteArray());
        long deadline = System.currentTimeMillis() + 300_000;
        JsonNode j;
        do {
            Thread.sleep(100);
            j = child.get(base, key, "/jobs/" + id);
        } while (j.get("progress").get("done").asLong() < 30 && System.currentTimeMillis() < deadline);
        assertThat(j.get("state").asText()).as(j.toString()).isEqualTo("running");
        server.destroyForcibly(); // SIGKILL: no shutdown hook runs
        assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();

        Process again = ChildServer.start(home, "second.log");
        try {
            String base2 = ChildServer.waitForPort(home.resolve("second.log"), again);
            do {
                Thread.sleep(200);
                j = child.get(base2, key, "/jobs/" + id);
            } while (!j.get("state").asText().equals("succeeded") && !j.get("state").asText().equals("failed")
                    && System.currentTimeMillis() < deadline + 300_000);
            assertThat(j.get("state").asText()).as(j.toString()).isEqualTo("succeeded");
            assertThat(j.get("attempts").asInt()).isEqualTo(2);
            assertThat(j.get("result").get("images").asInt()).isEqualTo(PHOTOS);
            // the second attempt scanned only what the first had not written
            assertThat(j.get("progress").get("done").asLong()).isLessThan(PHOTOS);
            assertThat(child.get(base2, key, "/audits/" + id + "/findings").get("images")).hasSize(PHOTOS);

            String second = audit(base2, key, zip.toByteArray());
            do {
                Thread.sleep(50);
                j = child.get(base2, key, "/jobs/" + second);
            } while (j.get("progress").get("done").asLong() < 5 && System.currentTimeMillis() < deadline + 300_000);
            HttpResponse<String> cancel = http.send(HttpRequest.newBuilder(URI.create(base2 + "/api/v1/jobs/" + second))
                    .header("Authorization", "Bearer " + key).DELETE().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(200);
            do {
                Thread.sleep(100);
                j = child.get(base2, key, "/jobs/" + second);
            } while (!Json.MAPPER.readTree(j.toString()).get("state").asText().equals("cancelled")
                    && System.currentTimeMillis() < deadline + 300_000);
            assertThat(j.get("state").asText()).isEqualTo("cancelled");
            assertThat(j.get("error").asText()).isEqualTo("cancelled by holder");
            assertThat(j.get("progress").get("done").asLong()).isLessThan(PHOTOS);
            assertThat(child.get(base2, key, "/log/verify").get("intact").asBoolean()).isTrue();
        } finally {
            again.destroy(); // SIGTERM: graceful
            assertThat(again.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        StringWriter out = new StringWriter();
        int code = Main.run(Map.of("LIKENESS_HOME", home.toString()), new PrintWriter(out, true), new PrintWriter(new StringWriter(), true),
                "log", "verify");
        assertThat(code).as(out.toString()).isZero();
    }

    private String audit(String base, String key, byte[] zip) throws Exception {
        TestServer.Multipart form = new TestServer.Multipart().field("purpose", "training").file("dataset", "photos.zip", zip);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/audits")).header("Authorization", "Bearer " + key)
                .header("Content-Type", form.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(form.bytes())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return Json.MAPPER.readTree(r.body()).get("id").asText();
    }
}
