package org.likeness.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.account.Role;

/** Hostile requests over real HTTP: the method a request really has, and malformed bodies. */
class RedTeamRequestTest {
    @TempDir
    static Path tmp;
    private static TestServer s;
    private static String holder;

    @BeforeAll
    static void start() throws Exception {
        s = TestServer.start("h2", tmp, new Faces(TestServer.FakeFaces::new), ServerConfig.DEFAULT_MAX_UPLOAD,
                List.of(new ScreenRoutes(() -> {
                    throw new java.io.IOException("/srv/likeness/models/detector.onnx: no such file");
                })));
        holder = s.account("holder", Role.HOLDER, "acme", null, false);
    }

    @AfterAll
    static void stop() throws Exception {
        s.close();
    }

    /**
     * Javalin routes by {@code X-HTTP-Method-Override}: a GET (which proxies, caches, firewalls and people treat as a
     * read) erased a subject. The service takes the method on the request line only.
     */
    @Test
    void aGetWithAMethodOverrideHeaderChangesNothing() {
        s.subject("acme", "alice");
        for (String header : new String[] {"X-HTTP-Method-Override", "x-http-method-override"}) {
            Map<String, String> h = TestServer.auth(holder);
            h.put(header, "DELETE");
            TestServer.Reply r = s.send("GET", "/subjects/alice", h, null);
            assertThat(r.status()).as(r.toString()).isEqualTo(400);
            assertThat(r.header("Content-Type")).startsWith("application/problem+json");
            assertThat(r.json().get("detail").asText()).contains("X-HTTP-Method-Override");
        }
        assertThat(s.registry.subject("alice").erased()).isFalse();
        assertThat(s.accessLog()).doesNotContain("\"method\":\"DELETE\"");
    }

    /** A multipart part whose header Jetty refuses (a control character in the file name) is the client's error. */
    @Test
    void aMalformedMultipartBodyIsABadRequestNotAnInternalError() {
        TestServer.Reply r = s.postMultipart("/subjects", holder, new TestServer.Multipart().field("id", "zed")
                .file("photos", "photo\u0007.jpg", new byte[] {1, 2, 3}));
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.json().get("type").asText()).isEqualTo("urn:likeness:problem:bad-request");
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("jetty");
    }

    /**
     * The server's own failure (its face models cannot be opened, a held list is unreadable) answered 422 "the request's
     * values are not acceptable" with the server's file path in the detail. It is the server's fault: 500 with an
     * incident id, the detail on the server's stderr only.
     */
    @Test
    void aServerFaultWhileScreeningIsNotBlamedOnTheRequestAndNamesNoServerPath() {
        String screener = s.account("market", Role.SCREENER, "market", null, false);
        TestServer.Reply r = s.postMultipart("/screen", screener, new TestServer.Multipart().file("images", "a.jpg", new byte[] {1, 2, 3}));
        assertThat(r.status()).as(r.toString()).isEqualTo(500);
        assertThat(r.json().get("detail").asText()).startsWith("internal error (incident ").doesNotContain("/srv");
    }

    /** The same for enrolment: the face models failing to open is the server's fault, its path stays on the server. */
    @Test
    void aServerFaultWhileEnrollingNamesNoServerPath() throws Exception {
        try (TestServer broken = TestServer.start("h2", java.nio.file.Files.createDirectories(tmp.resolve("broken")), new Faces(() -> {
            throw new java.io.IOException("/srv/likeness/models/detector.onnx: no such file");
        }), ServerConfig.DEFAULT_MAX_UPLOAD)) {
            String key = broken.account("holder", Role.HOLDER, "acme", null, false);
            TestServer.Reply r = broken.postMultipart("/subjects", key, new TestServer.Multipart().field("id", "zoe")
                    .file("photos", "a.jpg", new byte[] {1, 2, 3}));
            assertThat(r.status()).as(r.toString()).isEqualTo(500);
            assertThat(r.json().get("detail").asText()).startsWith("internal error (incident ").doesNotContain("/srv");
        }
    }
}
