package org.likeness.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.likeness.cli.Main;
import org.likeness.json.Json;

/**
 * A real {@code likeness serve} in a child JVM (so that it can be killed with SIGKILL), on a registry home of its own,
 * and the few HTTP calls the kill tests make to it with an API key.
 */
final class ChildServer {
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Runs a CLI command in this JVM on {@code env}'s registry; it must succeed. */
    static void cli(Map<String, String> env, String... args) {
        StringWriter err = new StringWriter();
        int code = Main.run(env, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), args);
        assertThat(code).as(String.join(" ", args) + ": " + err).isZero();
    }

    /** Starts {@code likeness serve --port 0} on {@code home}, its output in {@code home/log}. */
    static Process start(Path home, String log) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g", "-cp", classpath,
                Main.class.getName(), "serve", "--port", "0");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(home.resolve(log).toFile());
        // hermetic: nothing of the test command's registry or database settings reaches the child
        pb.environment().keySet().removeIf(k -> k.startsWith("LIKENESS_") || k.startsWith("PG"));
        pb.environment().put("LIKENESS_HOME", home.toString());
        return pb.start();
    }

    /** The base address, from the port in the child's "started" access-log event. */
    static String waitForPort(Path log, Process p) throws Exception {
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

    /** Signs in as the admin {@code root} (a browser session with its CSRF token) and issues the admin an API key. */
    String adminKey(String base, String password) throws Exception {
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"root\",\"password\":\"" + password + "\"}")).build(),
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

    /** POSTs {@code body} as JSON; it must answer 201. */
    JsonNode post(String base, String key, String path, Object body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1" + path))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.MAPPER.writeValueAsBytes(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(201);
        return Json.MAPPER.readTree(r.body());
    }

    /** GETs {@code path}; it must answer 200. */
    JsonNode get(String base, String key, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1" + path))
                .header("Authorization", "Bearer " + key).timeout(Duration.ofSeconds(60)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return Json.MAPPER.readTree(r.body());
    }
}
