package org.likeness.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.account.Accounts;
import org.likeness.account.AllowedPaths;
import org.likeness.account.Role;
import org.likeness.json.Json;
import org.likeness.registry.InvalidInputException;
import org.likeness.registry.LogEntry;
import org.likeness.registry.NotFoundException;

/** Sessions, CSRF, lockout, keys, uploads, headers, allowed paths, the access log and problems, over real HTTP. */
class ServeSecurityTest {
    @TempDir
    static Path tmp;
    private static TestServer s;
    private static String holderKey;

    @BeforeAll
    static void start() throws Exception {
        s = TestServer.start("h2", tmp);
        s.organisation("acme");
        s.organisation("globex");
        holderKey = s.account("holder", Role.HOLDER, "acme", null, true);
        s.subject("acme", "alice");
        s.subject("acme", "bob");
        s.subject("globex", "carol");
    }

    @AfterAll
    static void stop() throws Exception {
        s.close();
    }

    /** Signs in; returns the cookies (session, csrf) as a Cookie header and the CSRF token. */
    private static String[] signIn(String name, String presetCookie) {
        Map<String, String> h = new HashMap<>();
        h.put("Content-Type", "application/json");
        if (presetCookie != null) {
            h.put("Cookie", presetCookie);
        }
        TestServer.Reply r = s.send("POST", "/login", h, HttpRequest.BodyPublishers.ofString(
                "{\"name\":\"" + name + "\",\"password\":\"" + TestServer.PASSWORD + "\"}"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        String session = null;
        for (String c : r.headers("Set-Cookie")) {
            if (c.startsWith(LikenessServer.SESSION_COOKIE + "=")) {
                session = c.substring(c.indexOf('=') + 1, c.indexOf(';'));
                assertThat(c).contains("HttpOnly").contains("SameSite=Strict").contains("Path=/");
            }
        }
        assertThat(session).isNotNull();
        return new String[] {LikenessServer.SESSION_COOKIE + "=" + session, r.json().get("csrf_token").asText(), session};
    }

    private static TestServer.Reply grantWithSession(String cookie, String csrf) {
        Map<String, String> h = new HashMap<>();
        h.put("Cookie", cookie);
        h.put("Content-Type", "application/json");
        if (csrf != null) {
            h.put(LikenessServer.CSRF_HEADER, csrf);
        }
        return s.send("POST", "/subjects/alice/consents", h, HttpRequest.BodyPublishers.ofString("{\"purpose\":\"training\"}"));
    }

    @Test
    void aSessionMustSendItsCsrfTokenToChangeAnything() {
        String[] login = signIn("holder", null);
        TestServer.Reply none = grantWithSession(login[0], null);
        assertThat(none.status()).isEqualTo(403);
        assertThat(none.json().get("type").asText()).isEqualTo("urn:likeness:problem:csrf");
        TestServer.Reply wrong = grantWithSession(login[0], "not-the-token");
        assertThat(wrong.status()).isEqualTo(403);
        String[] other = signIn("holder", null);
        assertThat(grantWithSession(login[0], other[1]).status()).as("another session's token").isEqualTo(403);
        assertThat(grantWithSession(login[0], login[1]).status()).isEqualTo(201);
        // reads need no token
        assertThat(s.send("GET", "/me", Map.of("Cookie", login[0]), null).status()).isEqualTo(200);
    }

    @Test
    void signingInMakesANewSessionIdAndIgnoresOnePlantedBefore() {
        String planted = "attacker-chosen-session-id-0123456789abcdefghijk";
        String[] login = signIn("holder", LikenessServer.SESSION_COOKIE + "=" + planted);
        assertThat(login[2]).isNotEqualTo(planted).hasSizeGreaterThanOrEqualTo(43);
        assertThat(s.send("GET", "/me", Map.of("Cookie", LikenessServer.SESSION_COOKIE + "=" + planted), null).status())
                .isEqualTo(401);
        String[] again = signIn("holder", login[0]);
        assertThat(again[2]).isNotEqualTo(login[2]);
        // sign-out ends the session at once
        Map<String, String> h = Map.of("Cookie", again[0], LikenessServer.CSRF_HEADER, again[1]);
        assertThat(s.send("POST", "/logout", h, null).status()).isEqualTo(200);
        assertThat(s.send("GET", "/me", Map.of("Cookie", again[0]), null).status()).isEqualTo(401);
    }

    @Test
    void wrongPasswordsLockTheAccountAndAreLogged() {
        s.account("victim", Role.HOLDER, "acme", null, true);
        for (int i = 0; i < Accounts.MAX_FAILURES; i++) {
            TestServer.Reply r = s.postJson("/login", null, Map.of("name", "victim", "password", "wrong password " + i));
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.json().get("type").asText()).isEqualTo("urn:likeness:problem:unauthenticated");
        }
        TestServer.Reply right = s.postJson("/login", null, Map.of("name", "victim", "password", TestServer.PASSWORD));
        assertThat(right.status()).as("the right password while locked").isEqualTo(401);
        assertThat(right.body()).doesNotContain("victim");
        TestServer.Reply unknown = s.postJson("/login", null, Map.of("name", "nobody-at-all", "password", "whatever1"));
        assertThat(unknown.json().get("detail").asText()).as("the same answer for an unknown name")
                .isEqualTo(right.json().get("detail").asText());
        List<LogEntry> log = s.registry.log(1, 100_000);
        assertThat(log.stream().filter(e -> e.action().equals("account.login_failed")).count()).isGreaterThanOrEqualTo(Accounts.MAX_FAILURES);
        assertThat(log.stream().filter(e -> e.action().equals("account.lockout"))).hasSize(1);
        assertThat(s.registry.accounts().accountByName("victim").lockedUntil()).isNotNull();
    }

    @Test
    void aRevokedKeyIsRefusedFromTheNextRequestOn() {
        String key = s.account("machine", Role.HOLDER, "acme", null, false);
        assertThat(s.get("/me", key).status()).isEqualTo(200);
        String id = key.substring(3, 19);
        assertThat(s.delete("/keys/" + id, key).status()).isEqualTo(200);
        TestServer.Reply after = s.get("/me", key);
        assertThat(after.status()).isEqualTo(401);
        assertThat(after.json().get("detail").asText()).contains("revoked");
        assertThat(after.header("WWW-Authenticate")).startsWith("Bearer");
        // a forged secret for a real key id
        assertThat(s.get("/me", holderKey.substring(0, 20) + "A".repeat(43)).status()).isEqualTo(401);
    }

    @Test
    void anOversizeUploadGets413WithoutLeavingFilesBehind() throws Exception {
        long cap = 64 * 1024;
        try (TestServer small = TestServer.start("h2", tmp.resolve("small"), new Faces(TestServer.FakeFaces::new), cap)) {
            String key = small.account("uploader", Role.HOLDER, "default", null, false);
            byte[] big = new byte[(int) cap * 4];
            TestServer.Multipart m = new TestServer.Multipart().field("id", "big").file("photos", "big.jpg", big);
            // with Content-Length: refused before the body is read
            TestServer.Reply declared = small.postMultipart("/subjects", key, m);
            assertThat(declared.status()).as(declared.toString()).isEqualTo(413);
            assertThat(declared.json().get("type").asText()).isEqualTo("urn:likeness:problem:too-large");
            // chunked (no Content-Length): stopped while streaming
            Map<String, String> h = TestServer.auth(key);
            h.put("Content-Type", m.contentType());
            TestServer.Reply chunked = small.send("POST", "/subjects", h,
                    HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(m.bytes())));
            assertThat(chunked.status()).as(chunked.toString()).isEqualTo(413);
            try (var files = Files.list(small.home.resolve("uploads"))) {
                assertThat(files.toList()).as("spooled upload files").isEmpty();
            }
            assertThat(small.registry.subjectOrganisation("big")).isNull();
        }
    }

    @Test
    void everyAnswerCarriesTheSecurityHeaders() {
        for (TestServer.Reply r : List.of(s.get("/me", holderKey), s.get("/me", null), s.get("/nowhere", null),
                s.send("GET", s.base() + "/healthz", Map.of(), null))) {
            assertThat(r.header("Content-Security-Policy")).as(r.toString())
                    .isEqualTo("default-src 'self'; script-src 'self'; frame-ancestors 'none'");
            assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(r.header("Referrer-Policy")).isEqualTo("no-referrer");
            assertThat(r.header("Cache-Control")).isEqualTo("no-store");
        }
    }

    @Test
    void allowedPathsRefuseSymlinksTraversalAndFoldersOutside() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("datasets")).toRealPath();
        Path inside = Files.createDirectories(root.resolve("set1"));
        Path outside = Files.createDirectories(tmp.resolve("secret")).toRealPath();
        Path linkOut = Files.createSymbolicLink(root.resolve("escape"), outside);
        Path linkRoot = Files.createSymbolicLink(tmp.resolve("link-to-datasets"), root);
        String admin = s.account("admin", Role.ADMIN, "default", null, false);
        // an admin cannot allow a symbolic link, a relative path or one with ..
        for (String bad : List.of(linkRoot.toString(), "datasets", root + "/../secret")) {
            TestServer.Reply r = s.postJson("/allowed-paths", admin, Map.of("organisation", "acme", "path", bad));
            assertThat(r.status()).as(bad + ": " + r).isEqualTo(422);
        }
        assertThat(s.postJson("/allowed-paths", admin, Map.of("organisation", "acme", "path", root.toString())).status())
                .isEqualTo(201);
        AllowedPaths paths = s.server.services().allowedPaths();
        assertThat(paths.resolve("acme", inside.toString())).isEqualTo(inside);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> paths.resolve("acme", linkOut.toString()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("symbolic link");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> paths.resolve("acme", root + "/set1/../../secret"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("'..'");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> paths.resolve("acme", outside.toString()))
                .isInstanceOf(NotFoundException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> paths.resolve("globex", inside.toString()))
                .as("another organisation's folder").isInstanceOf(NotFoundException.class);
    }

    @Test
    void personalDataReadsAreLoggedWithAccountRoleAndPurpose() throws Exception {
        Map<String, String> h = TestServer.auth(holderKey);
        h.put(Call.PURPOSE_HEADER, "subject access request 42");
        TestServer.Reply r = s.send("GET", "/subjects/alice", h, null);
        assertThat(r.status()).isEqualTo(200);
        LogEntry last = s.registry.log(1, 100_000).stream().filter(e -> e.action().equals("access.read")).reduce((a, b) -> b)
                .orElseThrow();
        JsonNode p = Json.MAPPER.readTree(last.payload());
        assertThat(p.get("subject").asText()).isEqualTo("alice");
        assertThat(p.get("role").asText()).isEqualTo("holder");
        assertThat(p.get("purpose").asText()).isEqualTo("subject access request 42");
        assertThat(p.get("record").asText()).isEqualTo("subject");
        assertThat(p.get("account").asText()).isEqualTo(s.accounts().findKey(holderKey.substring(3, 19)).accountId());
        assertThat(last.actor()).isEqualTo("account:holder");
        assertThat(s.get("/log/verify", holderKey).json().get("intact").asBoolean()).isTrue();
    }

    @Test
    void theAccessLogNamesRouteTemplatesNeverIdsOrQueryValues() {
        assertThat(s.get("/subjects/alice/status?purpose=training&at=2025-01-01", holderKey).status()).isEqualTo(200);
        String log = s.accessLog();
        assertThat(log).contains("\"route\":\"GET /api/v1/subjects/{id}/status\"");
        for (String line : log.split("\n")) {
            assertThat(line).doesNotContain("alice").doesNotContain("2025-01-01").doesNotContain("purpose=");
            if (line.contains("\"route\"")) {
                JsonNode n = Json.MAPPER.valueToTree(parse(line));
                assertThat(n.fieldNames()).toIterable().containsExactly("time", "method", "route", "status", "ms", "account");
            }
        }
    }

    private static Object parse(String line) {
        try {
            return Json.MAPPER.readValue(line, Object.class);
        } catch (java.io.IOException e) {
            throw new AssertionError(line, e);
        }
    }

    @Test
    void otherTenantsAndOtherPeopleAreNotFoundAndListsHoldOnlyTheCallersOrganisation() {
        assertThat(s.get("/subjects/carol", holderKey).status()).isEqualTo(404);
        assertThat(s.get("/subjects/carol", holderKey).json().get("detail").asText().replace("carol", "ID"))
                .as("the same answer as for a subject that does not exist")
                .isEqualTo(s.get("/subjects/no-such-person", holderKey).json().get("detail").asText().replace("no-such-person", "ID"));
        String alice = s.account("alice-login", Role.SUBJECT, "acme", "alice", false);
        assertThat(s.get("/subjects/alice", alice).status()).isEqualTo(200);
        assertThat(s.get("/subjects/bob", alice).status()).as("a person in the same organisation").isEqualTo(404);
        JsonNode page = s.get("/subjects?limit=200", holderKey).json();
        assertThat(page.get("items").findValuesAsText("id")).contains("alice", "bob").doesNotContain("carol");
    }

    @Test
    void badRequestsGetOneClearProblemWithoutAStackTrace() {
        Map<String, String> h = TestServer.auth(holderKey);
        h.put("Content-Type", "text/plain");
        TestServer.Reply wrongType = s.send("POST", "/subjects/alice/consents", h, HttpRequest.BodyPublishers.ofString("x"));
        assertThat(wrongType.status()).isEqualTo(415);
        h.put("Content-Type", "application/json");
        TestServer.Reply broken = s.send("POST", "/subjects/alice/consents", h, HttpRequest.BodyPublishers.ofString("{\"purpose\":"));
        assertThat(broken.status()).isEqualTo(400);
        TestServer.Reply badPurpose = s.postJson("/subjects/alice/consents", holderKey, Map.of("purpose", "selling"));
        assertThat(badPurpose.status()).isEqualTo(422);
        TestServer.Reply badLimit = s.get("/subjects?limit=100000", holderKey);
        assertThat(badLimit.status()).isEqualTo(400);
        TestServer.Reply duplicate = s.postMultipart("/subjects", holderKey, new TestServer.Multipart().field("id", "alice")
                .file("photos", "a.jpg", new byte[] {1, 2, 3}));
        assertThat(duplicate.status()).isEqualTo(409);
        for (TestServer.Reply r : List.of(wrongType, broken, badPurpose, badLimit, duplicate)) {
            assertThat(r.header("Content-Type")).startsWith("application/problem+json");
            assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain(s.home.toString());
            assertThat(r.json().get("type").asText()).startsWith("urn:likeness:problem:");
        }
    }
}
