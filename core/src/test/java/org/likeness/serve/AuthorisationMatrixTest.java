package org.likeness.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.account.Role;
import org.likeness.evidence.HolderKey;
import org.likeness.hashlist.HashListExport;
import org.likeness.jobs.JobEngine;
import org.likeness.jobs.JobKind;
import org.likeness.jobs.JobState;
import org.likeness.registry.ConsentGrant;
import org.likeness.registry.Purpose;

/**
 * Every route x every role x the caller's own organisation or another one, over real HTTP. The expected outcome comes
 * from {@link #TABLE}, written here by hand (not from the server's route table, so that a route whose roles are wrong
 * fails): a role the route does not admit gets 403; an admitted role asking for another tenant's record (or, for the
 * subject role, another person's) gets 404, exactly as for a record that does not exist; otherwise the route's success.
 */
class AuthorisationMatrixTest {
    private static final String OWN = "org-own";
    private static final String OTHER = "org-other";

    /**
     * What a route admits, whether it names a record of a tenant (or an account's own key), its success status, and the
     * admitted roles for whom another tenant's record is no secret (an admin manages every key; every screener may
     * fetch every published hash list).
     */
    private record Expect(Set<Role> roles, boolean scoped, int success, Set<Role> everyTenant) {
        Expect(Set<Role> roles, boolean scoped, int success) {
            this(roles, scoped, success, EnumSet.noneOf(Role.class));
        }
    }

    private static final Set<Role> ALL = EnumSet.allOf(Role.class);
    private static final Set<Role> PUBLIC = EnumSet.noneOf(Role.class);
    private static final Set<Role> HOLDER_SUBJECT = EnumSet.of(Role.HOLDER, Role.SUBJECT);

    static final Map<String, Expect> TABLE = new LinkedHashMap<>();

    static {
        TABLE.put("GET /openapi.json", new Expect(PUBLIC, false, 200));
        TABLE.put("POST /login", new Expect(PUBLIC, false, 200));
        TABLE.put("POST /logout", new Expect(ALL, false, 200));
        TABLE.put("GET /me", new Expect(ALL, false, 200));
        TABLE.put("POST /subjects", new Expect(EnumSet.of(Role.HOLDER), false, 201));
        TABLE.put("GET /subjects", new Expect(EnumSet.of(Role.HOLDER), false, 200));
        TABLE.put("GET /subjects/{id}", new Expect(HOLDER_SUBJECT, true, 200));
        TABLE.put("DELETE /subjects/{id}", new Expect(HOLDER_SUBJECT, true, 200));
        TABLE.put("GET /subjects/{id}/impact", new Expect(HOLDER_SUBJECT, true, 200));
        TABLE.put("POST /subjects/{id}/consents", new Expect(HOLDER_SUBJECT, true, 201));
        TABLE.put("GET /subjects/{id}/consents", new Expect(HOLDER_SUBJECT, true, 200));
        TABLE.put("GET /subjects/{id}/status", new Expect(HOLDER_SUBJECT, true, 200));
        TABLE.put("POST /consents/{cid}/revoke", new Expect(HOLDER_SUBJECT, true, 200));
        TABLE.put("GET /consents/{cid}/receipt", new Expect(HOLDER_SUBJECT, true, 200));
        TABLE.put("GET /collections", new Expect(EnumSet.of(Role.HOLDER, Role.AUDITOR), false, 200));
        TABLE.put("GET /collections/{name}", new Expect(EnumSet.of(Role.HOLDER, Role.AUDITOR), true, 200));
        TABLE.put("GET /log/head", new Expect(EnumSet.of(Role.HOLDER, Role.AUDITOR, Role.ADMIN), false, 200));
        TABLE.put("GET /log/verify", new Expect(EnumSet.of(Role.HOLDER, Role.AUDITOR, Role.ADMIN), false, 200));
        TABLE.put("GET /log", new Expect(EnumSet.of(Role.AUDITOR, Role.ADMIN), false, 200));
        TABLE.put("POST /organisations", new Expect(EnumSet.of(Role.ADMIN), false, 201));
        TABLE.put("GET /organisations", new Expect(EnumSet.of(Role.ADMIN), false, 200));
        TABLE.put("POST /accounts", new Expect(EnumSet.of(Role.ADMIN), false, 201));
        TABLE.put("GET /accounts", new Expect(EnumSet.of(Role.ADMIN), false, 200));
        // keys: everyone manages their own; another account's key is unknown to all but an admin
        TABLE.put("POST /keys", new Expect(ALL, true, 201, EnumSet.of(Role.ADMIN)));
        TABLE.put("GET /keys", new Expect(ALL, false, 200));
        TABLE.put("DELETE /keys/{id}", new Expect(ALL, true, 200, EnumSet.of(Role.ADMIN)));
        TABLE.put("GET /allowed-paths", new Expect(EnumSet.of(Role.ADMIN, Role.HOLDER), false, 200));
        TABLE.put("POST /allowed-paths", new Expect(EnumSet.of(Role.ADMIN), false, 201));
        TABLE.put("DELETE /allowed-paths/{id}", new Expect(EnumSet.of(Role.ADMIN), false, 200));
        // the job routes: a request that passes the role check but is incomplete is a 400 (no job is started per
        // cell); the probed jobs are finished ones (they failed: their results are a 409, not a 404)
        Set<Role> holder = EnumSet.of(Role.HOLDER);
        Set<Role> readers = EnumSet.of(Role.HOLDER, Role.AUDITOR);
        TABLE.put("POST /audits", new Expect(holder, false, 400));
        TABLE.put("POST /traces", new Expect(holder, false, 400));
        TABLE.put("POST /collections", new Expect(holder, false, 400));
        TABLE.put("POST /collections/{name}/releases", new Expect(holder, true, 400));
        TABLE.put("POST /collections/{name}/rescan", new Expect(holder, true, 202));
        TABLE.put("GET /jobs", new Expect(readers, false, 200));
        TABLE.put("GET /jobs/{id}", new Expect(readers, true, 200));
        TABLE.put("GET /jobs/{id}/events", new Expect(readers, true, 200));
        TABLE.put("DELETE /jobs/{id}", new Expect(holder, true, 200));
        TABLE.put("GET /jobs/{id}/archive", new Expect(holder, true, 409));
        TABLE.put("GET /audits/{id}/findings", new Expect(readers, true, 409));
        TABLE.put("GET /audits/{id}/report", new Expect(readers, true, 409));
        TABLE.put("GET /traces/{id}", new Expect(readers, true, 409));
        // screening: an empty listing is a 400; a list exported from each organisation's collection: a holder reads its
        // own organisation's only, a screener every list
        TABLE.put("POST /screen", new Expect(EnumSet.of(Role.SCREENER), false, 400));
        TABLE.put("GET /screens/{id}", new Expect(EnumSet.of(Role.SCREENER), true, 409));
        TABLE.put("GET /hashlists/{name}", new Expect(EnumSet.of(Role.SCREENER, Role.HOLDER), true, 200, EnumSet.of(Role.SCREENER)));
        // the web console's and the portal's API
        TABLE.put("POST /subjects/{id}/invitations", new Expect(holder, true, 201));
        TABLE.put("POST /invitations/{token}/accept", new Expect(PUBLIC, false, 404));
        TABLE.put("POST /faces", new Expect(holder, false, 400));
        TABLE.put("GET /organisation", new Expect(ALL, false, 200));
        TABLE.put("GET /console/summary", new Expect(EnumSet.of(Role.HOLDER, Role.AUDITOR, Role.ADMIN), false, 200));
    }

    /** Finished jobs of each kind the routes read, per organisation: kind -> id. */
    private final Map<String, Map<JobKind, String>> jobs = new LinkedHashMap<>();

    @TempDir
    Path tmp;
    private TestServer s;
    private final AtomicInteger seq = new AtomicInteger();

    static List<String> kinds() {
        return TestServer.kinds();
    }

    private void start(String kind) throws Exception {
        s = TestServer.startAll(kind, tmp);
        s.organisation(OWN);
        s.organisation(OTHER);
        s.account("signin", Role.HOLDER, OWN, null, true);
    }

    /**
     * An audit, a trace, a release and a screen in each organisation, of inputs that do not exist: they fail at once, and the
     * matrix reads them as finished jobs; and a hash list of each organisation's collection.
     */
    private void makeJobs() throws Exception {
        JobEngine engine = s.groups.stream().filter(g -> g instanceof JobRoutes).map(g -> ((JobRoutes) g).engine()).findFirst()
                .orElseThrow();
        String missing = tmp.resolve("missing.zip").toString();
        for (String org : List.of(OWN, OTHER)) {
            Map<JobKind, String> ids = new java.util.EnumMap<>(JobKind.class);
            ids.put(JobKind.AUDIT, engine.submit(JobKind.AUDIT, Map.of("dataset", missing, "purpose", "training", "label", "x"), org,
                    "test").id());
            ids.put(JobKind.TRACE, engine.submit(JobKind.TRACE, Map.of("suspect", missing, "label", "x"), org, "test").id());
            ids.put(JobKind.RELEASE, engine.submit(JobKind.RELEASE, Map.of("collection", "no-such", "recipient", "x"), org, "test").id());
            ids.put(JobKind.SCREEN, engine.submit(JobKind.SCREEN, Map.of("listing", missing, "label", "x"), org, "test").id());
            jobs.put(org, ids);
        }
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(120);
        for (Map<JobKind, String> ids : jobs.values()) {
            for (String id : ids.values()) {
                while (!engine.get(id).state().finished()) {
                    assertThat(System.nanoTime()).as("job " + id + " finishes").isLessThan(deadline);
                    Thread.sleep(50);
                }
                assertThat(engine.get(id).state()).as(id).isEqualTo(JobState.FAILED);
            }
        }
        // a hash list of a (still empty) collection of each organisation, exported onto the server (after the jobs: on
        // H2 a job's open of the registry file while this test writes to it failed once with OverlappingFileLockException)
        for (String org : List.of(OWN, OTHER)) {
            s.registry.addCollection(org, "listed-" + org, "owner", "/data/listed-" + org, "test-model", List.of());
            new HashListExport(s.registry, s.registry.location().home(), HolderKey.loadOrCreate(s.registry.location().home().resolve("registry")))
                    .export(new HashListExport.Request("list-" + org, List.of("listed-" + org), false, null, java.time.Duration.ofDays(30),
                            "contact@example.org"), java.time.Instant.now());
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (s != null) {
            s.close();
        }
    }

    @Test
    void theTableCoversEveryRegisteredRouteAndNoOther() throws Exception {
        start("h2");
        Set<String> registered = new TreeSet<>();
        s.server.routes().forEach(r -> registered.add(r.name()));
        assertThat(registered).as("routes without an expected outcome in TABLE, or TABLE rows for no route")
                .isEqualTo(new TreeSet<>(TABLE.keySet()));
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void everyRouteRoleAndTenantGetsItsExpectedAnswer(String kind) throws Exception {
        start(kind);
        makeJobs();
        List<String> failures = new ArrayList<>();
        int cells = 0;
        for (Map.Entry<String, Expect> row : TABLE.entrySet()) {
            for (Role role : Role.values()) {
                for (boolean own : new boolean[] {true, false}) {
                    Expect e = row.getValue();
                    int expected = e.roles().isEmpty() || e.roles().contains(role)
                            ? (!own && e.scoped() && !e.everyTenant().contains(role) ? 404 : e.success())
                            : 403;
                    TestServer.Reply r = call(row.getKey(), role, own);
                    cells++;
                    if (r.status() != expected) {
                        failures.add(row.getKey() + " as " + role.word() + (own ? " (own)" : " (other)") + ": expected " + expected
                                + ", got " + r);
                    } else if (expected >= 400) {
                        assertThat(r.header("Content-Type")).as(row.getKey()).startsWith("application/problem+json");
                    }
                }
            }
        }
        assertThat(failures).as(cells + " cells").isEmpty();
        assertThat(cells).isEqualTo(TABLE.size() * Role.values().length * 2);
    }

    /** Makes a caller of the role in {@link #OWN}, fresh records in its own or the other tenant, and calls the route. */
    private TestServer.Reply call(String route, Role role, boolean own) throws Exception {
        int n = seq.incrementAndGet();
        String targetOrg = own ? OWN : OTHER;
        // the caller; a subject account is a person enrolled in its own organisation
        String callerSubject = null;
        if (role == Role.SUBJECT) {
            callerSubject = "person-" + n;
            s.subject(OWN, callerSubject);
        }
        String callerKey = s.account("caller-" + n, role, OWN, callerSubject, false);
        // the record the route names: the subject's own record, a subject of the own tenant, or the other tenant's
        String subject;
        if (own && role == Role.SUBJECT) {
            subject = callerSubject;
        } else {
            subject = "target-" + n;
            s.subject(targetOrg, subject);
        }
        long consent = s.registry.grant(new ConsentGrant(subject, Purpose.TRAINING, java.time.Instant.parse("2024-01-01T00:00:00Z"),
                null, "test", null)).id();
        String collection = "coll-" + n;
        s.registry.addCollection(targetOrg, collection, "owner", "/data/" + collection, "test-model", List.of());
        // keys: the caller's own second key, or the key of another account in the other tenant
        String keyId;
        String otherAccount = null;
        if (own) {
            keyId = s.accounts().issueKey("test", accountIdOf(callerKey), "second").key().id();
        } else {
            String otherKey = s.account("other-" + n, Role.HOLDER, OTHER, null, false);
            otherAccount = accountIdOf(otherKey);
            keyId = otherKey.substring(3, 19);
        }
        Path folder = Files.createDirectories(tmp.resolve("allowed-" + n)).toRealPath();
        long allowedId = s.registry.accounts().addAllowedPath(OWN, folder.toString()).id();

        String[] parts = route.split(" ", 2);
        Map<JobKind, String> tenantJobs = jobs.get(targetOrg);
        String job = route.contains("/archive") ? tenantJobs.get(JobKind.RELEASE) : route.contains("/traces/")
                ? tenantJobs.get(JobKind.TRACE) : route.contains("/screens/") ? tenantJobs.get(JobKind.SCREEN) : tenantJobs.get(JobKind.AUDIT);
        String path = parts[1].replace("{id}", route.contains("/keys/") ? keyId : route.contains("/allowed-paths/")
                ? Long.toString(allowedId) : route.contains("/jobs/") || route.contains("/audits/") || route.contains("/traces/") || route.contains("/screens/")
                ? job : subject).replace("{token}", "no-such-invitation")
                .replace("/hashlists/{name}", "/hashlists/list-" + targetOrg).replace("{cid}", Long.toString(consent)).replace("{name}", collection);
        return switch (route) {
            case "POST /login" -> s.postJson("/login", null, Map.of("name", "signin", "password", TestServer.PASSWORD));
            case "POST /logout" -> s.send("POST", "/logout", TestServer.auth(callerKey), null);
            case "POST /subjects" -> s.postMultipart("/subjects", callerKey, new TestServer.Multipart()
                    .field("id", "new-" + n).field("name", "New " + n).file("photos", "p.jpg", ("photo " + n).getBytes()));
            case "GET /subjects/{id}/status" -> s.get(path + "?purpose=training", callerKey);
            case "POST /subjects/{id}/consents" -> s.postJson(path, callerKey, Map.of("purpose", "evaluation",
                    "legal_basis", "test"));
            case "POST /consents/{cid}/revoke" -> s.send("POST", path, TestServer.auth(callerKey), null);
            case "POST /organisations" -> s.postJson(path, callerKey, Map.of("id", "org-new-" + n, "name", "New"));
            case "POST /accounts" -> s.postJson(path, callerKey, Map.of("name", "made-" + n, "role", "auditor",
                    "organisation", OTHER));
            case "POST /keys" -> s.postJson(path, callerKey, own ? Map.of("label", "mine") : Map.of("account", otherAccount));
            case "POST /allowed-paths" -> s.postJson(path, callerKey, Map.of("organisation", targetOrg, "path",
                    Files.createDirectories(tmp.resolve("new-allowed-" + n)).toRealPath().toString()));
            case "POST /audits", "POST /traces", "POST /collections", "POST /screen", "POST /faces" ->
                    s.postMultipart(path, callerKey, new TestServer.Multipart());
            case "POST /collections/{name}/releases", "POST /subjects/{id}/invitations" -> s.postJson(path, callerKey, Map.of());
            case "POST /invitations/{token}/accept", "POST /collections/{name}/rescan" -> s.send("POST", path, TestServer.auth(callerKey), null);
            default -> parts[0].equals("GET") ? s.get(path, callerKey) : s.delete(path, callerKey);
        };
    }

    private String accountIdOf(String key) {
        return s.accounts().findKey(key.substring(3, 19)).accountId();
    }
}
