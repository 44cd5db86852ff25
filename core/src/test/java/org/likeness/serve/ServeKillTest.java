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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.Models;
import org.likeness.SharedData;
import org.likeness.cli.Main;
import org.likeness.json.Json;

/**
 * SIGKILL of a `likeness serve` child process while consent writes are in flight; after a restart every write the
 * server acknowledged (201) is in the registry and `likeness log verify` passes.
 */
class ServeKillTest {
    @TempDir
    Path tmp;
    private final ChildServer child = new ChildServer();
    private final HttpClient http = child.http;

    private static final String ADMIN_PASSWORD = "admin password for the kill test";

    @Test
    void acknowledgedConsentWritesSurviveSigkillAndTheLogVerifies() throws Exception {
        Path photo = SharedData.require("lfw-dev/images/Aaron_Peirsol/Aaron_Peirsol_0001.jpg");
        Path home = Files.createDirectories(tmp.resolve("home"));
        Files.createSymbolicLink(home.resolve("models"), Models.store().home().resolve("models"));
        Map<String, String> env = Map.of("LIKENESS_HOME", home.toString(), "LIKENESS_ADMIN_PASSWORD", ADMIN_PASSWORD);
        ChildServer.cli(env, "registry", "init");
        ChildServer.cli(env, "subject", "add", "--id", "s1", "--face", "1", photo.toString());
        ChildServer.cli(env, "serve", "--create-admin", "root");

        Process server = ChildServer.start(home, "first.log");
        String base = ChildServer.waitForPort(home.resolve("first.log"), server);
        String admin = child.adminKey(base, ADMIN_PASSWORD);
        JsonNode holder = child.post(base, admin, "/accounts", Map.of("name", "holder", "role", "holder", "password", ADMIN_PASSWORD));
        String key = child.post(base, admin, "/keys", Map.of("account", holder.get("id").asText())).get("secret").asText();

        Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> writers = new ArrayList<>();
        String[] purposes = {"training", "evaluation", "publication", "identification"};
        for (int w = 0; w < 3; w++) {
            int id = w;
            Thread t = new Thread(() -> {
                for (int i = 0; !stop.get(); i++) {
                    try {
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/subjects/s1/consents"))
                                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                                .timeout(Duration.ofSeconds(10))
                                .POST(HttpRequest.BodyPublishers.ofString("{\"purpose\":\"" + purposes[(id + i) % 4]
                                        + "\",\"legal_basis\":\"kill test " + id + "/" + i + "\"}")).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 201) {
                            acknowledged.add(Json.MAPPER.readTree(r.body()).get("id").asLong());
                        }
                    } catch (Exception serverGone) {
                        return;
                    }
                }
            });
            t.start();
            writers.add(t);
        }
        long deadline = System.currentTimeMillis() + 60_000;
        while (acknowledged.size() < 40 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(acknowledged).as("writes acknowledged before the kill").hasSizeGreaterThanOrEqualTo(40);
        server.destroyForcibly(); // SIGKILL: no shutdown hook runs
        assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
        stop.set(true);
        for (Thread t : writers) {
            t.join(15_000);
        }

        Process again = ChildServer.start(home, "second.log");
        try {
            String base2 = ChildServer.waitForPort(home.resolve("second.log"), again);
            Set<Long> stored = new java.util.HashSet<>();
            String after = null;
            do {
                JsonNode page = child.get(base2, key, "/subjects/s1/consents?limit=200" + (after == null ? "" : "&after=" + after));
                page.get("items").forEach(c -> stored.add(c.get("id").asLong()));
                after = page.get("next").isNull() ? null : page.get("next").asText();
            } while (after != null);
            assertThat(stored).as("every acknowledged consent is stored").containsAll(acknowledged);
            assertThat(child.get(base2, key, "/log/verify").get("intact").asBoolean()).isTrue();
        } finally {
            again.destroy(); // SIGTERM: graceful
            assertThat(again.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(Files.readString(home.resolve("second.log"))).contains("\"event\":\"stopped\"");
        StringWriter out = new StringWriter();
        int code = Main.run(Map.of("LIKENESS_HOME", home.toString()), new PrintWriter(out, true), new PrintWriter(new StringWriter(), true),
                "log", "verify");
        assertThat(code).as(out.toString()).isZero();
        assertThat(out.toString()).contains("registry intact");
    }
}
