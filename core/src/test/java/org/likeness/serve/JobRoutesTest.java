package org.likeness.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.Models;
import org.likeness.SharedData;
import org.likeness.account.Accounts;
import org.likeness.account.Role;
import org.likeness.app.RegistrySession;
import org.likeness.face.FacePipeline;
import org.likeness.jobs.JobEngine;
import org.likeness.json.Json;
import org.likeness.model.ModelStore;
import org.likeness.registry.MasterKey;
import org.likeness.registry.Organisations;
import org.likeness.registry.Registry;
import org.likeness.registry.RegistryLocation;

/**
 * The job routes over real HTTP on loopback: an uploaded zip of lfw-dev photos audited by the service gives the
 * findings the CLI gives for the same files; the job is followed by Server-Sent Events; another tenant cannot see it;
 * the routes are in the OpenAPI document.
 */
class JobRoutesTest {
    @TempDir
    Path tmp;

    static final String[] PHOTOS = {"George_W_Bush/George_W_Bush_0001.jpg", "Colin_Powell/Colin_Powell_0002.jpg",
            "Hugo_Chavez/Hugo_Chavez_0001.jpg", "Serena_Williams/Serena_Williams_0001.jpg"};

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void anUploadedZipAuditedOverHttpGivesTheCliFindings() throws Exception {
        Path lfw = SharedData.require("lfw-dev/images");
        Models.store();
        Map<String, String> env = new HashMap<>();
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Path home = tmp.resolve("home");
        env.put("LIKENESS_HOME", home.toString());
        env.put(MasterKey.ENV, Base64.getEncoder().encodeToString(key));
        try (MasterKey k = MasterKey.resolve(null, env)) {
            Registry.init(RegistryLocation.resolve(null, env), k, "test");
        }
        assertThat(cli(env, "subject", "add", "--id", "George_W_Bush", "--name", "George W Bush",
                lfw.resolve("George_W_Bush/George_W_Bush_0001.jpg").toString())).isZero();
        assertThat(cli(env, "consent", "grant", "George_W_Bush", "--purpose", "training")).isZero();
        Path data = Files.createDirectories(tmp.resolve("dataset"));
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        // entries in the order a folder is read (sorted by name), so that identities are numbered alike
        try (ZipOutputStream z = new ZipOutputStream(zip)) {
            z.putNextEntry(new ZipEntry("broken.jpg"));
            z.write("not a picture".getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
            Files.writeString(data.resolve("broken.jpg"), "not a picture");
            for (String p : java.util.Arrays.stream(PHOTOS).sorted(java.util.Comparator.comparing(x -> Path.of(x).getFileName().toString())).toList()) {
                String name = Path.of(p).getFileName().toString();
                Files.copy(lfw.resolve(p), data.resolve(name));
                z.putNextEntry(new ZipEntry(name));
                z.write(Files.readAllBytes(lfw.resolve(p)));
                z.closeEntry();
            }
        }
        assertThat(cli(env, "audit", data.toString(), "--purpose", "training", "--at", "2027-01-01T00:00:00Z", "--report",
                tmp.resolve("cli-report").toString())).isEqualTo(3);

        JobRoutes jobs = new JobRoutes(new RegistrySession(null, env),
                () -> FacePipeline.open(ModelStore.fromEnvironment(), FacePipeline.Options.defaults(1)), new JobEngine.Config(1, 2),
                home.resolve("jobs"));
        try (MasterKey k = MasterKey.resolve(null, env); Registry registry = Registry.open(RegistryLocation.resolve(null, env), k, "serve")) {
            ServerConfig config = new ServerConfig("127.0.0.1", 0, 50L * 1024 * 1024, home.resolve("uploads"), 5_000);
            LikenessServer server = new LikenessServer(config, registry, new Faces(TestServer.FakeFaces::new), List.of(jobs),
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            server.start();
            try {
                String base = "http://127.0.0.1:" + server.port() + LikenessServer.API;
                Accounts accounts = server.services().accounts();
                if (registry.accounts().organisation("org-other") == null) {
                    registry.accounts().addOrganisation("org-other", "Another organisation");
                }
                String holder = accounts.issueKey("test", accounts.create("test", "holder", null, Role.HOLDER, Organisations.DEFAULT, null).id(),
                        "test").secret();
                String auditor = accounts.issueKey("test", accounts.create("test", "auditor", null, Role.AUDITOR, Organisations.DEFAULT, null).id(),
                        "test").secret();
                String stranger = accounts.issueKey("test", accounts.create("test", "stranger", null, Role.HOLDER, "org-other", null).id(),
                        "test").secret();

                TestServer.Multipart form = new TestServer.Multipart().field("purpose", "training").field("at", "2027-01-01T00:00:00Z")
                        .file("dataset", "photos.zip", zip.toByteArray());
                HttpResponse<String> accepted = send(HttpRequest.newBuilder(URI.create(base + "/audits")).header("Authorization", "Bearer " + holder)
                        .header("Content-Type", form.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(form.bytes())));
                assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
                String id = Json.MAPPER.readTree(accepted.body()).get("id").asText();
                assertThat(accepted.headers().firstValue("Location")).contains(LikenessServer.API + "/jobs/" + id);

                // the job's events until it ends
                List<String> events = new ArrayList<>();
                HttpResponse<java.io.InputStream> stream = http.send(HttpRequest.newBuilder(URI.create(base + "/jobs/" + id + "/events"))
                        .header("Authorization", "Bearer " + auditor).timeout(Duration.ofSeconds(300)).GET().build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                assertThat(stream.statusCode()).isEqualTo(200);
                assertThat(stream.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
                try (BufferedReader r = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        if (line.startsWith("event: ") || line.startsWith("data: ")) {
                            events.add(line);
                        }
                    }
                }
                assertThat(events).contains("event: progress", "event: problem");
                assertThat(events.get(events.size() - 2)).isEqualTo("event: state");
                assertThat(events.get(events.size() - 1)).contains("\"state\":\"succeeded\"");

                JsonNode job = get(base + "/jobs/" + id, auditor, 200);
                assertThat(job.get("state").asText()).isEqualTo("succeeded");
                assertThat(job.get("result").get("failed").asInt()).isEqualTo(1);
                assertThat(job.get("progress").get("problems").asInt()).isEqualTo(1);

                JsonNode fromHttp = get(base + "/audits/" + id + "/findings", auditor, 200);
                JsonNode fromCli = Json.MAPPER.readTree(tmp.resolve("cli-report/findings.json").toFile());
                assertThat(fromHttp.get("faces")).isEqualTo(fromCli.get("faces"));
                assertThat(fromHttp.get("summary")).isEqualTo(fromCli.get("summary"));
                assertThat(fromHttp.get("identities")).isEqualTo(fromCli.get("identities"));
                assertThat(fromHttp.get("failures")).isEqualTo(fromCli.get("failures"));
                assertThat(fromHttp.get("faces")).hasSize(4);
                assertThat(fromHttp.get("faces").toString()).contains("George_W_Bush", "consented");

                HttpResponse<String> report = send(HttpRequest.newBuilder(URI.create(base + "/audits/" + id + "/report"))
                        .header("Authorization", "Bearer " + holder).GET());
                assertThat(report.statusCode()).isEqualTo(200);
                assertThat(report.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");

                // another tenant: as if it did not exist; an auditor may not start one
                get(base + "/jobs/" + id, stranger, 404);
                get(base + "/audits/" + id + "/findings", stranger, 404);
                get(base + "/jobs/does-not-exist", holder, 404);
                HttpResponse<String> byAuditor = send(HttpRequest.newBuilder(URI.create(base + "/audits")).header("Authorization", "Bearer " + auditor)
                        .header("Content-Type", form.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(form.bytes())));
                assertThat(byAuditor.statusCode()).isEqualTo(403);
                assertThat(get(base + "/jobs", holder, 200).get("items")).hasSize(1);
                assertThat(get(base + "/jobs", stranger, 200).get("items")).isEmpty();

                // a file that is not an archive, and both an upload and a path
                TestServer.Multipart notZip = new TestServer.Multipart().field("purpose", "training").file("dataset", "photos.rar", new byte[] {1});
                HttpResponse<String> refused = send(HttpRequest.newBuilder(URI.create(base + "/audits")).header("Authorization", "Bearer " + holder)
                        .header("Content-Type", notZip.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(notZip.bytes())));
                assertThat(refused.statusCode()).isEqualTo(415);
                assertThat(refused.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");

                JsonNode openapi = get(base + "/openapi.json", null, 200);
                for (String p : new String[] {"/audits", "/jobs/{id}", "/jobs/{id}/events", "/audits/{id}/findings", "/audits/{id}/report",
                        "/traces", "/collections/{name}/releases"}) {
                    assertThat(openapi.get("paths").has(p)).as(p).isTrue();
                }
                assertThat(registry.log(1, 1000)).extracting(e -> e.action()).contains("audit.run", "access.read");
            } finally {
                server.stop();
            }
        }
    }

    /**
     * A collection registered from an uploaded zip, released to a recipient, its archive downloaded and traced as a
     * suspect upload: the trace names the collection and the recipient. Another tenant's trace of the same leak finds
     * nothing (it is traced only against its own collections).
     */
    @Test
    void aCollectionRegisteredByUploadIsReleasedAndItsLeakTraced() throws Exception {
        Path lfw = SharedData.require("lfw-dev/images");
        Models.store();
        Map<String, String> env = new HashMap<>();
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Path home = tmp.resolve("home");
        env.put("LIKENESS_HOME", home.toString());
        env.put(MasterKey.ENV, Base64.getEncoder().encodeToString(key));
        try (MasterKey k = MasterKey.resolve(null, env)) {
            Registry.init(RegistryLocation.resolve(null, env), k, "test");
        }
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(zip)) {
            for (String person : new String[] {"Colin_Powell", "George_W_Bush", "Hugo_Chavez", "Serena_Williams"}) {
                for (String n : new String[] {"_0001.jpg", "_0002.jpg"}) {
                    z.putNextEntry(new ZipEntry(person + "/" + person + n));
                    z.write(Files.readAllBytes(lfw.resolve(person).resolve(person + n)));
                    z.closeEntry();
                }
            }
        }
        JobRoutes jobs = new JobRoutes(new RegistrySession(null, env),
                () -> FacePipeline.open(ModelStore.fromEnvironment(), FacePipeline.Options.defaults(1)), new JobEngine.Config(2, 1),
                home.resolve("jobs"));
        try (MasterKey k = MasterKey.resolve(null, env); Registry registry = Registry.open(RegistryLocation.resolve(null, env), k, "serve")) {
            ServerConfig config = new ServerConfig("127.0.0.1", 0, 50L * 1024 * 1024, home.resolve("uploads"), 5_000);
            LikenessServer server = new LikenessServer(config, registry, new Faces(TestServer.FakeFaces::new), List.of(jobs),
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            server.start();
            try {
                String base = "http://127.0.0.1:" + server.port() + LikenessServer.API;
                Accounts accounts = server.services().accounts();
                registry.accounts().addOrganisation("studio", "Studio");
                registry.accounts().addOrganisation("org-other", "Another organisation");
                String holder = accounts.issueKey("test", accounts.create("test", "holder", null, Role.HOLDER, "studio", null).id(), "test").secret();
                String stranger = accounts.issueKey("test", accounts.create("test", "stranger", null, Role.HOLDER, "org-other", null).id(),
                        "test").secret();

                TestServer.Multipart form = new TestServer.Multipart().field("name", "portraits").file("dataset", "portraits.zip", zip.toByteArray());
                String scan = Json.MAPPER.readTree(post(base + "/collections", holder, form, 202).body()).get("id").asText();
                JsonNode scanned = finished(base, scan, holder);
                assertThat(scanned.get("state").asText()).as(scanned.toString()).isEqualTo("succeeded");
                assertThat(scanned.get("result").get("images").asInt()).isEqualTo(8);
                assertThat(get(base + "/collections/portraits", holder, 200).get("images").asInt()).isEqualTo(8);
                get(base + "/collections/portraits", stranger, 404);

                // a rescan of the unchanged upload: a collection-scan job that finds every image unchanged
                HttpResponse<String> strangerRescan = send(HttpRequest.newBuilder(URI.create(base + "/collections/portraits/rescan"))
                        .header("Authorization", "Bearer " + stranger).POST(HttpRequest.BodyPublishers.noBody()));
                assertThat(strangerRescan.statusCode()).as(strangerRescan.body()).isEqualTo(404);
                HttpResponse<String> unknown = send(HttpRequest.newBuilder(URI.create(base + "/collections/no-such/rescan"))
                        .header("Authorization", "Bearer " + holder).POST(HttpRequest.BodyPublishers.noBody()));
                assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(404);
                HttpResponse<String> rescan = send(HttpRequest.newBuilder(URI.create(base + "/collections/portraits/rescan"))
                        .header("Authorization", "Bearer " + holder).POST(HttpRequest.BodyPublishers.noBody()));
                assertThat(rescan.statusCode()).as(rescan.body()).isEqualTo(202);
                JsonNode rescanJob = Json.MAPPER.readTree(rescan.body());
                assertThat(rescanJob.get("kind").asText()).isEqualTo("collection-scan");
                JsonNode rescanned = finished(base, rescanJob.get("id").asText(), holder);
                assertThat(rescanned.get("state").asText()).as(rescanned.toString()).isEqualTo("succeeded");
                JsonNode change = rescanned.get("result");
                assertThat(change.get("collection").asText()).isEqualTo("portraits");
                assertThat(change.get("unchanged").asInt()).as(change.toString()).isEqualTo(8);
                assertThat(change.get("added").asInt() + change.get("removed").asInt() + change.get("changed").asInt()
                        + change.get("failed").asInt()).as(change.toString()).isZero();
                JsonNode afterRescan = get(base + "/collections/portraits", holder, 200);
                assertThat(afterRescan.get("images").asInt()).as(afterRescan.toString()).isEqualTo(8);
                get(base + "/jobs/" + rescanJob.get("id").asText(), stranger, 404);

                HttpResponse<String> rel = send(HttpRequest.newBuilder(URI.create(base + "/collections/portraits/releases"))
                        .header("Authorization", "Bearer " + holder).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"recipient\": \"bob\"}")));
                assertThat(rel.statusCode()).as(rel.body()).isEqualTo(202);
                String release = Json.MAPPER.readTree(rel.body()).get("id").asText();
                JsonNode released = finished(base, release, holder);
                assertThat(released.get("state").asText()).as(released.toString()).isEqualTo("succeeded");
                assertThat(released.get("result").get("written").asInt()).isEqualTo(8);
                HttpResponse<byte[]> archive = http.send(HttpRequest.newBuilder(URI.create(base + "/jobs/" + release + "/archive"))
                        .header("Authorization", "Bearer " + holder).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
                assertThat(archive.statusCode()).isEqualTo(200);
                assertThat(archive.headers().firstValue("Content-Type").orElse("")).startsWith("application/zip");
                HttpResponse<String> notYours = send(HttpRequest.newBuilder(URI.create(base + "/jobs/" + release + "/archive"))
                        .header("Authorization", "Bearer " + stranger).GET());
                assertThat(notYours.statusCode()).isEqualTo(404);

                TestServer.Multipart leak = new TestServer.Multipart().field("faces", "false").file("suspect", "leak.zip", archive.body());
                String trace = Json.MAPPER.readTree(post(base + "/traces", holder, leak, 202).body()).get("id").asText();
                JsonNode traced = finished(base, trace, holder);
                assertThat(traced.get("state").asText()).as(traced.toString()).isEqualTo("succeeded");
                JsonNode traceJson = get(base + "/traces/" + trace, holder, 200);
                assertThat(traced.get("result").get("recipients").has("bob")).as(traced.toString()).isTrue();
                assertThat(traced.get("result").get("collections").has("portraits")).isTrue();
                assertThat(traceJson.toString()).contains("bob");

                String other = Json.MAPPER.readTree(post(base + "/traces", stranger, leak, 202).body()).get("id").asText();
                JsonNode otherTrace = finished(base, other, stranger);
                // the other tenant has no collection: its trace has nothing to trace against and says so
                assertThat(otherTrace.get("state").asText()).isEqualTo("failed");
                assertThat(otherTrace.get("error").asText()).contains("no collection is registered");
            } finally {
                server.stop();
            }
        }
    }

    private HttpResponse<String> post(String url, String bearer, TestServer.Multipart form, int status) throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + bearer)
                .header("Content-Type", form.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(form.bytes())));
        assertThat(r.statusCode()).as(url + ": " + r.body()).isEqualTo(status);
        return r;
    }

    private JsonNode finished(String base, String id, String bearer) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(300).toNanos();
        while (true) {
            JsonNode j = get(base + "/jobs/" + id, bearer, 200);
            if (!j.get("state").asText().equals("queued") && !j.get("state").asText().equals("running")) {
                return j;
            }
            assertThat(System.nanoTime()).as("job " + id + " still " + j.get("state").asText()).isLessThan(end);
            Thread.sleep(100);
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return http.send(b.timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode get(String url, String bearer, int status) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<String> r = send(b);
        assertThat(r.statusCode()).as(url + ": " + r.body()).isEqualTo(status);
        return Json.MAPPER.readTree(r.body());
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
