package org.likeness.web;

import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import org.likeness.account.Role;
import org.likeness.registry.Consent;
import org.likeness.registry.Registry;
import org.likeness.registry.Subject;
import org.likeness.serve.Call;
import org.likeness.serve.LikenessServer;
import org.likeness.serve.Problem;
import org.likeness.serve.RouteGroup;
import org.likeness.serve.Routes;
import org.likeness.serve.Services;
import org.likeness.serve.Uploads;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The API routes the console and the portal need beyond the service's own: portal invitations, the face picker of
 * enrolment and the dashboard's counts. Documented in the OpenAPI document and authorised like every route.
 */
public final class WebRoutes implements RouteGroup {
    /** Subjects and collections are counted a page at a time. */
    private static final int COUNT_PAGE = 1000;

    private final FacePicker picker;

    public WebRoutes(FacePicker picker) {
        this.picker = picker;
    }

    @Override
    public void register(Routes routes, Services services) {
        Invitations invitations = new Invitations(services.registry());
        routes.post("/subjects/{id}/invitations", "A single-use link (valid " + Invitations.LIFETIME.toDays()
                        + " days) that opens the subject's own portal page").tag("portal").roles(Role.HOLDER).status(201)
                .handle(call -> {
                    String id = call.path("id");
                    Invitations.Invitation inv = invitations.create(call.caller().actor(), call.caller().organisation(), id);
                    Map<String, Object> json = new LinkedHashMap<>();
                    json.put("subject", inv.subject());
                    json.put("path", inv.path());
                    json.put("expires_at", inv.expiresAt().toString());
                    call.json(201, json);
                });
        routes.post("/invitations/{token}/accept", "Open the portal with an invitation (once): a session cookie and its CSRF token")
                .tag("portal").handle(call -> {
                    Invitations.Accepted a;
                    try {
                        a = invitations.accept(call.path("token"));
                    } catch (Invitations.InvalidInvitation e) {
                        throw new Problem(Problem.Kind.NOT_FOUND, e.getMessage());
                    }
                    setSessionCookies(call, a.sessionToken(), a.csrfToken(), a.expiresAt());
                    call.ctx().attribute("account", a.account());
                    Map<String, Object> json = new LinkedHashMap<>();
                    json.put("account", a.account());
                    json.put("role", Role.SUBJECT.word());
                    json.put("subject", a.subject());
                    json.put("csrf_token", a.csrfToken());
                    json.put("expires_at", a.expiresAt().toString());
                    call.json(json);
                });
        routes.post("/faces", "The faces in a photo with their boxes, numbered as enrolment's face field (multipart: photo)")
                .tag("subjects").roles(Role.HOLDER).multipart().handle(call -> {
                    List<Call.Upload> up = call.uploads("photo");
                    try {
                        if (up.size() != 1) {
                            throw new Problem(Problem.Kind.BAD_REQUEST, "send exactly one file in form field 'photo'");
                        }
                        try {
                            call.json(picker.faces(up.get(0).file(), up.get(0).name()));
                        } catch (java.io.IOException e) {
                            throw new Problem(Problem.Kind.INVALID, up.get(0).name() + ": " + e.getMessage());
                        }
                    } finally {
                        Uploads.delete(up.stream().map(Call.Upload::file).toList());
                    }
                });
        routes.get("/organisation", "The caller's organisation: id and name (the portal names who holds the photos)")
                .tag("portal").roles(Role.ADMIN, Role.values()).handle(call -> {
                    var org = call.registry().accounts().organisation(call.caller().organisation());
                    call.json(Map.of("id", org.id(), "name", org.name()));
                });
        routes.get("/console/summary", "The organisation's counts for the dashboard: subjects, collections, consents by state")
                .tag("console").roles(Role.HOLDER, Role.AUDITOR, Role.ADMIN).handle(call -> call.json(summary(call.registry(),
                        call.caller().organisation())));
    }

    /** Subjects, collections and consent records by state (active, not yet valid, expired, revoked) now. */
    static Map<String, Object> summary(Registry registry, String organisation) {
        Instant now = Instant.now();
        Map<String, Integer> states = new TreeMap<>();
        for (String s : List.of("active", "pending", "expired", "revoked")) {
            states.put(s, 0);
        }
        int subjects = 0;
        String after = null;
        while (true) {
            List<Subject> page = registry.subjects(organisation, after, COUNT_PAGE);
            for (Subject s : page) {
                subjects++;
                for (Consent c : registry.consents(s.id())) {
                    states.merge(state(c, now), 1, Integer::sum);
                }
            }
            if (page.size() < COUNT_PAGE) {
                break;
            }
            after = page.get(page.size() - 1).id();
        }
        int collections = 0;
        after = null;
        while (true) {
            var page = registry.collections(organisation, after, COUNT_PAGE);
            collections += page.size();
            if (page.size() < COUNT_PAGE) {
                break;
            }
            after = page.get(page.size() - 1).name();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("subjects", subjects);
        out.put("collections", collections);
        out.put("consents", states);
        return out;
    }

    static String state(Consent c, Instant now) {
        if (c.revokedAt() != null) {
            return "revoked";
        }
        if (c.validUntil() != null && !c.validUntil().isAfter(now)) {
            return "expired";
        }
        if (c.validFrom() != null && c.validFrom().isAfter(now)) {
            return "pending";
        }
        return "active";
    }

    /** The same cookies a password sign-in sets (HttpOnly session, script-readable CSRF token, SameSite=Strict). */
    private static void setSessionCookies(Call call, String session, String csrf, Instant expires) {
        boolean secure = call.ctx().req().isSecure();
        int maxAge = (int) Duration.between(Instant.now(), expires).getSeconds();
        call.ctx().cookie(new Cookie(LikenessServer.SESSION_COOKIE, session, "/", maxAge, secure, true, null, SameSite.STRICT));
        call.ctx().cookie(new Cookie(LikenessServer.CSRF_COOKIE, csrf, "/", maxAge, secure, false, null, SameSite.STRICT));
    }

    /** The pages and assets of the console and the portal. */
    @Override
    public void configure(io.javalin.config.JavalinConfig config) {
        new WebConsole().install(config);
    }

    @Override
    public void stop() {
        picker.close();
    }
}
