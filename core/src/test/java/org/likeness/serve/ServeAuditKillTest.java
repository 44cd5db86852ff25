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
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static final String ADMIN_PASSWORD = "admin password for the audit kill test";
    /** Photos in the audited zip: enough that the kill lands mid-scan on a loaded machine. */
    private static final int PHOTOS = 300;

    @Test
    void aKilledServerResumesItsAuditJobAndACancelledJobEndsCancelled() throws Exception {
        Path lfw = SharedData.require("lfw-dev/images");
        Path home = Files.createDirectories(tmp.resolve("home"));
        Files.createSymbolicLink(home.resolve("models"), Models.store().home().resolve("models"));
        Map<String, String> env = Map.of("LIKENESS_HOME", home.toString(), "LIKENESS_ADMIN_PASSWORD", ADMIN_PASSWORD);
        cli(env, "registry", "init");
        cli(env, "serve", "--create-admin", "root");
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

        Process server = start(home, "first.log");
        String base = waitForPort(home.resolve("first.log"), server);
        String admin = adminKey(base);
        JsonNode holder = post(base, admin, "/accounts", Map.of("name", "holder", "role", "holder"));
        String key = post(base, admin, "/keys", Map.of("account", holder.get("id").asText())).get("secret").asText();
        String id = audit(base, key, zip.toByteArray());
        long deadline = System.currentTimeMillis() + 300_000;
        JsonNode j;
        do {
            Thread.sleep(100);
            j = get(base, key, "/jobs/" + id);
        } while (j.get("progress").get("done").asLong() < 30 && System.currentTimeMillis() < deadline);
        assertThat(j.get("state").asText()).as(j.toString()).isEqualTo("running");
        server.destroyForcibly(); // SIGKILL: no shutdown hook runs
        assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();

        Process again = start(home, "second.log");
        try {
            String base2 = waitForPort(home.resolve("second.log"), again);
            do {
                Thread.sleep(200);
                j = get(base2, key, "/jobs/" + id);
            } while (!j.get("state").asText().equals("succeeded") && !j.get("state").asText().equals("failed")
                    && System.currentTimeMillis() < deadline + 300_000);
            assertThat(j.get("state").asText()).as(j.toString()).isEqualTo("succeeded");
            assertThat(j.get("attempts").asInt()).isEqualTo(2);
            assertThat(j.get("result").get("images").asInt()).isEqualTo(PHOTOS);
            // the second attempt scanned only what the first had not written
            assertThat(j.get("progress").get("done").asLong()).isLessThan(PHOTOS);
            assertThat(get(base2, key, "/audits/" + id + "/findings").get("images")).hasSize(PHOTOS);

            String second = audit(base2, key, zip.toByteArray());
            do {
                Thread.sleep(50);
                j = get(base2, key, "/jobs/" + second);
            } while (j.get("progress").get("done").asLong() < 5 && System.currentTimeMillis() < deadline + 300_000);
            HttpResponse<String> cancel = http.send(HttpRequest.newBuilder(URI.create(base2 + "/api/v1/jobs/" + second))
                    .header("Authorization", "Bearer " + key).DELETE().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(200);
            do {
                Thread.sleep(100);
                j = get(base2, key, "/jobs/" + second);
            } while (!Json.MAPPER.readTree(j.toString()).get("state").asText().equals("cancelled")
                    && System.currentTimeMillis() < deadline + 300_000);
            assertThat(j.get("state").asText()).isEqualTo("cancelled");
            assertThat(j.get("error").asText()).isEqualTo("cancelled by holder");
            assertThat(j.get("progress").get("done").asLong()).isLessThan(PHOTOS);
            assertThat(get(base2, key, "/log/verify").get("intact").asBoolean()).isTrue();
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

    private static void cli(Map<String, String> env, String... args) {
        StringWriter err = new StringWriter();
        int code = Main.run(env, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), args);
        assertThat(code).as(String.join(" ", args) + ": " + err).isZero();
    }

    private static Process start(Path home, String log) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g", "-cp", classpath,
                Main.class.getName(), "serve", "--port", "0");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(home.resolve(log).toFile());
        // hermetic: nothing of the test command's registry or database settings reaches the child
        pb.environment().keySet().removeIf(k -> k.startsWith("LIKENESS_") || k.startsWith("PG"));
        pb.environment().put("LIKENESS_HOME", home.toString());
        return pb.start();
    }

    /** The port from the child's "started" access-log event. */
    private static String waitForPort(Path log, Process p) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            if (Files.exists(log)) {
                for (String line : Files.readAllLines(log)) {
                    if (line.contains("\"event\":\"started\"")) {
                        return "http://127.0.0.1:" + Json.MAPPER.readTree(line).get("port").asInt();
                    }
                }
            }
            assertThat(p.isAlive()).as("server exited: " + (Files.exists(log) ? Files.readString(log) : "")).isTrue();
            Thread.sleep(100);
        }
        throw new AssertionError("server did not start: " + Files.readString(log));
    }

    /** Signs in as the admin (a browser session with its CSRF token) and issues the admin an API key. */
    private String adminKey(String base) throws Exception {
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"root\",\"password\":\"" + ADMIN_PASSWORD + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        String cookie = login.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("likeness_session="))
                .map(c -> c.substring(0, c.indexOf(';'))).findFirst().orElseThrow();
        String csrf = Json.MAPPER.readTree(login.body()).get("csrf_token").asText();
        HttpResponse<String> key = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/keys"))
                .header("Content-Type", "application/json").header("Cookie", cookie).header("X-CSRF-Token", csrf)
                .POST(HttpRequest.BodyPublishers.ofString("{\"label\":\"admin\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(key.statusCode()).as(key.body()).isEqualTo(201);
        return Json.MAPPER.readTree(key.body()).get("secret").asText();
    }

    private JsonNode post(String base, String key, String path, Object body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1" + path))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.MAPPER.writeValueAsBytes(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(201);
        return Json.MAPPER.readTree(r.body());
    }

    private JsonNode get(String base, String key, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1" + path))
                .header("Authorization", "Bearer " + key).timeout(Duration.ofSeconds(60)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return Json.MAPPER.readTree(r.body());
    }
}
