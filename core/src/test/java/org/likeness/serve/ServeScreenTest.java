package org.likeness.serve;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.Models;
import org.likeness.SharedData;
import org.likeness.account.Role;
import org.likeness.cli.Main;
import org.likeness.evidence.HolderKey;
import org.likeness.face.FacePipeline;
import org.likeness.hashlist.HashList;
import org.likeness.hashlist.HashListStore;
import org.likeness.hashlist.SignedList;
import org.likeness.image.NativeOpenCv;
import org.likeness.json.Json;
import org.likeness.registry.MasterKey;
import org.likeness.registry.Registry;
import org.likeness.registry.RegistryLocation;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

import java.io.ByteArrayOutputStream;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The screening routes on a real server over a real registry: a holder registers lfw-dev photos, exports a list and a
 * delta after an erasure (command line), and serves them; a marketplace's screener key polls the list (ETag, deltas)
 * and screens seller copies of the photos over HTTP.
 */
class ServeScreenTest {
    @TempDir
    static Path tmp;
    static Registry registry;
    static LikenessServer server;
    static MasterKey masterKey;
    static String screener, holder, otherHolder, auditor;
    static Path studio;
    static String erasedPerson;
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    static void cli(Map<String, String> env, String... args) {
        StringWriter o = new StringWriter(), e = new StringWriter();
        int code = Main.run(env, new PrintWriter(o, true), new PrintWriter(e, true), args);
        assertThat(code).as(String.join(" ", args) + ": " + o + e).isZero();
    }

    @BeforeAll
    static void holderExportsAndServes() throws Exception {
        Path lfw = SharedData.require("lfw-dev/images");
        Models.store();
        NativeOpenCv.load();
        Path home = tmp.resolve("home");
        Map<String, String> env = Map.of("LIKENESS_HOME", home.toString());
        studio = tmp.resolve("studio");
        try (Stream<Path> s = Files.list(lfw)) {
            for (Path person : s.sorted().filter(p -> count(p) >= 2).skip(40).limit(8).toList()) {
                for (Path p : Files.list(person).sorted().limit(2).toList()) {
                    Files.createDirectories(studio.resolve(person.getFileName().toString()));
                    Files.copy(p, studio.resolve(person.getFileName().toString()).resolve(p.getFileName().toString()));
                }
            }
        }
        try (Stream<Path> s = Files.list(studio)) {
            erasedPerson = s.sorted().findFirst().orElseThrow().getFileName().toString();
        }
        cli(env, "registry", "init");
        List<String> add = new ArrayList<>(List.of("subject", "add", "--id", erasedPerson));
        Files.list(studio.resolve(erasedPerson)).sorted().forEach(p -> add.add(p.toString()));
        cli(env, add.toArray(String[]::new));
        cli(env, "collection", "add", "studio", studio.toString(), "--owner", "Studio");
        cli(env, "hashlist", "export", "--collections", "studio", "--with-faces", "-o", tmp.resolve("v1.json").toString());
        cli(env, "subject", "erase", erasedPerson);
        cli(env, "hashlist", "export", "--collections", "studio", "--with-faces", "--since", "1", "-o", tmp.resolve("v2.json").toString());
        // the server's home holds the lists it screens against: here the holder's own, imported at version 2
        cli(env, "hashlist", "key", "-o", tmp.resolve("holder.pub").toString());
        cli(env, "hashlist", "trust", tmp.resolve("holder.pub").toString());
        cli(env, "hashlist", "import", tmp.resolve("v1.json").toString());
        cli(env, "hashlist", "import", tmp.resolve("v2.json").toString());

        RegistryLocation location = RegistryLocation.resolve(null, env);
        masterKey = MasterKey.resolve(location.defaultKeyFile(), env);
        registry = Registry.open(location, masterKey, "test");
        ServerConfig config = new ServerConfig("127.0.0.1", 0, ServerConfig.DEFAULT_MAX_UPLOAD, home.resolve("uploads"), 5_000);
        server = new LikenessServer(config, registry, new Faces(TestServer.FakeFaces::new),
                List.of(new ScreenRoutes(() -> FacePipeline.open(Models.store(), FacePipeline.Options.defaults(1)))),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        server.start();
        registry.accounts().addOrganisation("market", "Market");
        registry.accounts().addOrganisation("studio", "Studio");
        screener = key("m", Role.SCREENER, "market");
        holder = key("h", Role.HOLDER, "default"); // the command line registered "studio" for the default organisation
        otherHolder = key("h2", Role.HOLDER, "studio");
        auditor = key("a", Role.AUDITOR, "studio");
    }

    private static long count(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    private static String key(String name, Role role, String org) {
        var a = server.services().accounts().create("test", name, null, role, org, null);
        return server.services().accounts().issueKey("test", a.id(), "test").secret();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
        if (registry != null) {
            registry.close();
        }
        if (masterKey != null) {
            masterKey.close();
        }
    }

    static HttpResponse<byte[]> send(String method, String path, String bearer, Map<String, String> headers, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + LikenessServer.API + path))
                .timeout(Duration.ofSeconds(300))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void aMarketplacePollsTheListWithETagsAndDeltas() throws Exception {
        java.security.PublicKey pub = HolderKey.readPublic(tmp.resolve("holder.pub"));
        HttpResponse<byte[]> latest = send("GET", "/hashlists/studio", screener, Map.of(), null);
        assertThat(latest.statusCode()).as(new String(latest.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(latest.headers().firstValue("ETag")).contains("\"v2\"");
        HashList full = SignedList.verify(latest.body(), id -> pub, Instant.now());
        assertThat(full.version()).isEqualTo(2);
        assertThat(full.delta()).isFalse();
        assertThat(full.added()).hasSize(14);

        assertThat(send("GET", "/hashlists/studio", screener, Map.of("If-None-Match", "\"v2\""), null).statusCode()).isEqualTo(304);
        HttpResponse<byte[]> delta = send("GET", "/hashlists/studio?since=1", screener, Map.of(), null);
        assertThat(delta.statusCode()).isEqualTo(200);
        assertThat(delta.headers().firstValue("ETag")).contains("\"v2-from-1\"");
        HashList d = SignedList.verify(delta.body(), id -> pub, Instant.now());
        assertThat(d.base()).isEqualTo(1L);
        assertThat(d.added()).isEmpty();
        assertThat(d.removed()).hasSize(2);
        // a marketplace at version 1 applies the polled delta
        HashListStore market = new HashListStore(tmp.resolve("poller"));
        market.trust(tmp.resolve("holder.pub"));
        market.importList(Files.readAllBytes(tmp.resolve("v1.json")), Instant.now());
        assertThat(market.importList(delta.body(), Instant.now()).entries()).isEqualTo(14);

        assertThat(send("GET", "/hashlists/studio?since=2", screener, Map.of(), null).statusCode()).isEqualTo(304);
        assertThat(send("GET", "/hashlists/studio?since=7", screener, Map.of(), null).statusCode()).isEqualTo(422);
        assertThat(send("GET", "/hashlists/studio?since=x", screener, Map.of(), null).statusCode()).isEqualTo(400);
        assertThat(send("GET", "/hashlists/nothing", screener, Map.of(), null).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/hashlists/studio", holder, Map.of(), null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/hashlists/studio", otherHolder, Map.of(), null).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/hashlists/studio", auditor, Map.of(), null).statusCode()).isEqualTo(403);
        assertThat(send("GET", "/hashlists/studio", null, Map.of(), null).statusCode()).isEqualTo(401);
        JsonNode openapi = Json.MAPPER.readTree(send("GET", "/openapi.json", null, Map.of(), null).body());
        assertThat(openapi.get("paths").has(LikenessServer.API + "/screen") || openapi.get("paths").has("/screen")).isTrue();
    }

    @Test
    void aScreenerScreensASmallListingOverHttp() throws Exception {
        TestServer.Multipart m = new TestServer.Multipart();
        Random random = new Random(7);
        Map<String, String> personOf = new HashMap<>();
        int i = 0;
        for (Path p : Files.walk(studio).filter(Files::isRegularFile).sorted().toList()) {
            String name = String.format("copy_%02d.jpg", i++);
            personOf.put(name, p.getParent().getFileName().toString());
            m.file("images", name, sellerCopy(p, random));
        }
        assertThat(send("POST", "/screen", holder, Map.of("Content-Type", m.contentType()), m.bytes()).statusCode()).isEqualTo(403);
        long t0 = System.nanoTime();
        HttpResponse<byte[]> r = send("POST", "/screen", screener, Map.of("Content-Type", m.contentType()), m.bytes());
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        JsonNode s = Json.MAPPER.readTree(r.body());
        assertThat(s.get("decision").asText()).isEqualTo("block");
        int named = 0, erasedNamed = 0;
        for (JsonNode img : s.get("images")) {
            boolean isNamed = "studio".equals(img.get("collection").asText(null));
            if (personOf.get(img.get("path").asText()).equals(erasedPerson)) {
                erasedNamed += isNamed ? 1 : 0;
            } else {
                named += isNamed ? 1 : 0;
            }
        }
        System.out.printf("POST /screen of %d images: %.1f s; %d of 14 named, erased subject's copies named %d%n", i, seconds, named, erasedNamed);
        assertThat(erasedNamed).isZero();
        assertThat(named).isGreaterThanOrEqualTo(13);

        TestServer.Multipart tooMany = new TestServer.Multipart();
        for (int k = 0; k <= ScreenRoutes.MAX_SYNC_IMAGES; k++) {
            tooMany.file("images", "x" + k + ".jpg", new byte[]{1});
        }
        HttpResponse<byte[]> big = send("POST", "/screen", screener, Map.of("Content-Type", tooMany.contentType()), tooMany.bytes());
        assertThat(big.statusCode()).isEqualTo(413);
        assertThat(new String(big.body(), StandardCharsets.UTF_8)).contains("at most 200");
    }

    static byte[] sellerCopy(Path photo, Random random) {
        Mat img = Imgcodecs.imread(photo.toString());
        double cut = random.nextDouble() * 0.05;
        Mat cropped = new Mat(img, new Rect(0, 0, (int) Math.round(img.cols() * (1 - cut)), (int) Math.round(img.rows() * (1 - cut))));
        Mat resized = new Mat();
        double scale = 0.5 + 0.5 * random.nextDouble();
        Imgproc.resize(cropped, resized, new Size(Math.round(cropped.cols() * scale), Math.round(cropped.rows() * scale)), 0, 0, Imgproc.INTER_AREA);
        MatOfByte buf = new MatOfByte();
        Imgcodecs.imencode(".jpg", resized, buf, new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, 50 + random.nextInt(41)));
        return buf.toArray();
    }
}
