package org.likeness.serve;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import com.fasterxml.jackson.databind.JsonNode;
import org.likeness.account.Accounts;
import org.likeness.account.Role;
import org.likeness.json.Json;
import org.likeness.registry.EnrolFace;
import org.likeness.registry.FaceSource;
import org.likeness.registry.MasterKey;
import org.likeness.registry.Registry;
import org.likeness.registry.RegistryLocation;

/**
 * A real {@link LikenessServer} on a loopback port over a fresh registry (H2 in the test's folder, or a new schema in
 * the PostgreSQL of LIKENESS_TEST_PG_URL), and an HTTP client for it.
 */
final class TestServer implements AutoCloseable {
    static final String PG_URL_ENV = "LIKENESS_TEST_PG_URL";
    static final String PASSWORD = "correct horse battery staple";

    final Registry registry;
    final LikenessServer server;
    final ByteArrayOutputStream accessLog = new ByteArrayOutputStream();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    final Path home;
    /** The route groups besides the service's own. */
    final List<RouteGroup> groups;
    private final MasterKey key;
    private final String pgSchema;
    private final String pgUrl;

    private TestServer(Path home, RegistryLocation location, String pgSchema, Faces faces, long maxUpload, List<RouteGroup> groups)
            throws IOException {
        this(home, location, pgSchema, faces, maxUpload, session -> groups, null, null);
    }

    private TestServer(Path home, RegistryLocation location, String pgSchema, Faces faces, long maxUpload,
                       java.util.function.Function<org.likeness.app.RegistrySession, List<RouteGroup>> groupsFor, String db,
                       Map<String, String> env) throws IOException {
        this.home = home;
        this.pgSchema = pgSchema;
        this.pgUrl = System.getenv(PG_URL_ENV);
        this.key = env == null ? MasterKey.random() : MasterKey.resolve(null, env);
        Registry.init(location, key, "test");
        this.registry = Registry.open(location, key, "test");
        this.groups = groupsFor.apply(env == null ? null : new org.likeness.app.RegistrySession(db, env));
        ServerConfig config = new ServerConfig("127.0.0.1", 0, maxUpload, home.resolve("uploads"), 5_000);
        this.server = new LikenessServer(config, registry, faces, groups, new PrintStream(accessLog, true, StandardCharsets.UTF_8));
        server.start();
    }

    static TestServer start(String kind, Path tmp) throws Exception {
        return start(kind, tmp, new Faces(FakeFaces::new), ServerConfig.DEFAULT_MAX_UPLOAD);
    }

    static TestServer start(String kind, Path tmp, Faces faces, long maxUpload) throws Exception {
        return start(kind, tmp, faces, maxUpload, List.of());
    }

    static TestServer start(String kind, Path tmp, Faces faces, long maxUpload, List<RouteGroup> groups) throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home"));
        if (kind.equals("h2")) {
            return new TestServer(home, RegistryLocation.resolve(null, Map.of("LIKENESS_HOME", home.toString())), null, faces, maxUpload,
                    groups);
        }
        String url = System.getenv(PG_URL_ENV);
        assumeTrue(url != null && !url.isBlank(), PG_URL_ENV + " is not set: PostgreSQL run skipped"
                + " (start one with: eval \"$(scripts/pg-start.sh)\")");
        String schema = "serve_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        RegistryLocation base = RegistryLocation.resolve(url, System.getenv());
        try (Connection c = DriverManager.getConnection(url, base.user(), base.password()); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        String scoped = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        return new TestServer(home, new RegistryLocation(scoped, base.user(), base.password(), home), schema, faces, maxUpload,
                groups);
    }

    /**
     * A server with every route group that {@code likeness serve} registers ({@link org.likeness.cli.ServeRoutes}): the
     * jobs open the same registry through a session with its key in the environment.
     */
    static TestServer startAll(String kind, Path tmp) throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home"));
        Map<String, String> env = new HashMap<>();
        byte[] bytes = new byte[32];
        new java.security.SecureRandom().nextBytes(bytes);
        env.put("LIKENESS_HOME", home.toString());
        env.put(MasterKey.ENV, java.util.Base64.getEncoder().encodeToString(bytes));
        java.util.function.Function<org.likeness.app.RegistrySession, List<RouteGroup>> all =
                session -> org.likeness.cli.ServeRoutes.groups(session, home);
        Faces faces = new Faces(FakeFaces::new);
        if (kind.equals("h2")) {
            return new TestServer(home, RegistryLocation.resolve(null, env), null, faces, ServerConfig.DEFAULT_MAX_UPLOAD, all, null, env);
        }
        String url = System.getenv(PG_URL_ENV);
        assumeTrue(url != null && !url.isBlank(), PG_URL_ENV + " is not set: PostgreSQL run skipped");
        String schema = "serve_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        RegistryLocation base = RegistryLocation.resolve(url, System.getenv());
        try (Connection c = DriverManager.getConnection(url, base.user(), base.password()); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        String scoped = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        for (String v : List.of("LIKENESS_DB_USER", "LIKENESS_DB_PASSWORD", "PGUSER", "PGPASSWORD")) {
            if (System.getenv(v) != null) {
                env.put(v, System.getenv(v));
            }
        }
        return new TestServer(home, new RegistryLocation(scoped, base.user(), base.password(), home), schema, faces,
                ServerConfig.DEFAULT_MAX_UPLOAD, all, scoped, env);
    }

    static List<String> kinds() {
        return List.of("h2", "postgresql");
    }

    String base() {
        return "http://127.0.0.1:" + server.port();
    }

    String api(String path) {
        return base() + LikenessServer.API + path;
    }

    String accessLog() {
        return accessLog.toString(StandardCharsets.UTF_8);
    }

    // ---- fixtures --------------------------------------------------------------------------------------------------

    Accounts accounts() {
        return server.services().accounts();
    }

    void organisation(String id) {
        if (registry.accounts().organisation(id) == null) {
            registry.accounts().addOrganisation(id, "Organisation " + id);
        }
    }

    /** A new account (with {@link #PASSWORD} when {@code password}) and an API key for it; returns the key. */
    String account(String name, Role role, String org, String subject, boolean password) {
        organisation(org);
        var a = accounts().create("test", name, password ? PASSWORD.toCharArray() : null, role, org, subject);
        return accounts().issueKey("test", a.id(), "test").secret();
    }

    /** A subject without enrolments (the matrix needs records, not faces). */
    void subject(String org, String id) {
        organisation(org);
        registry.addSubject(org, id, "Name of " + id, "test-model", List.of(), List.of());
    }

    // ---- HTTP ------------------------------------------------------------------------------------------------------

    record Reply(int status, String body, Map<String, List<String>> headers) {
        JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }

        List<String> headers(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue();
                }
            }
            return List.of();
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    /** A request: method, API path (or absolute URL), headers, body. */
    Reply send(String method, String path, Map<String, String> headers, HttpRequest.BodyPublisher body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : api(path)))
                .timeout(Duration.ofSeconds(120)).method(method, body == null ? HttpRequest.BodyPublishers.noBody() : body);
        headers.forEach(b::header);
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body(), r.headers().map());
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    Reply get(String path, String bearer) {
        return send("GET", path, auth(bearer), null);
    }

    Reply delete(String path, String bearer) {
        return send("DELETE", path, auth(bearer), null);
    }

    Reply postJson(String path, String bearer, Object body) {
        Map<String, String> h = auth(bearer);
        h.put("Content-Type", "application/json");
        try {
            return send("POST", path, h, HttpRequest.BodyPublishers.ofByteArray(Json.MAPPER.writeValueAsBytes(body)));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static Map<String, String> auth(String bearer) {
        Map<String, String> h = new HashMap<>();
        if (bearer != null) {
            h.put("Authorization", "Bearer " + bearer);
        }
        return h;
    }

    /** A multipart/form-data body: text fields, then files (field name, file name, bytes). */
    static final class Multipart {
        final String boundary = "----likeness" + UUID.randomUUID().toString().replace("-", "");
        private final List<byte[]> parts = new ArrayList<>();

        Multipart field(String name, String value) {
            parts.add(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            return this;
        }

        Multipart file(String name, String filename, byte[] content) {
            parts.add(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename
                    + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            parts.add(content);
            parts.add("\r\n".getBytes(StandardCharsets.UTF_8));
            return this;
        }

        byte[] bytes() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            parts.forEach(out::writeBytes);
            out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            return out.toByteArray();
        }

        String contentType() {
            return "multipart/form-data; boundary=" + boundary;
        }
    }

    Reply postMultipart(String path, String bearer, Multipart m) {
        Map<String, String> h = auth(bearer);
        h.put("Content-Type", m.contentType());
        return send("POST", path, h, HttpRequest.BodyPublishers.ofByteArray(m.bytes()));
    }

    /**
     * A stand-in for the face pipeline where the matrix only needs a subject to exist: one face per file, its vector
     * derived from the file's bytes. Enrolment from real photos runs the real pipeline (ServeEnrolTest).
     */
    static final class FakeFaces implements FaceSource {
        @Override
        public List<EnrolFace> faces(Path photo) throws IOException {
            byte[] bytes = Files.readAllBytes(photo);
            java.util.Random r = new java.util.Random(java.util.Arrays.hashCode(bytes));
            float[] v = new float[512];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) r.nextGaussian();
            }
            String sha = org.likeness.account.Secrets.sha256(new String(bytes, StandardCharsets.ISO_8859_1));
            return List.of(new EnrolFace(v, 0.9, sha));
        }

        @Override
        public String modelId() {
            return "test-model";
        }
    }

    @Override
    public void close() throws Exception {
        try {
            server.stop();
        } finally {
            registry.close();
            key.close();
            if (pgSchema != null) {
                RegistryLocation base = RegistryLocation.resolve(pgUrl, System.getenv());
                try (Connection c = DriverManager.getConnection(pgUrl, base.user(), base.password());
                     Statement s = c.createStatement()) {
                    s.execute("DROP SCHEMA " + pgSchema + " CASCADE");
                }
            }
        }
    }
}
