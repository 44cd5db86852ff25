package org.likeness.serve;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.likeness.account.Accounts;
import org.likeness.account.Principal;
import org.likeness.account.Role;

/** The OpenAPI document, sign-in, sign-out and who-am-I. */
final class SystemRoutes implements RouteGroup {
    private final LikenessServer server;
    private volatile byte[] openApi;

    SystemRoutes(LikenessServer server) {
        this.server = server;
    }

    @Override
    public void register(Routes routes, Services services) {
        routes.get("/openapi.json", "This document (OpenAPI 3.1)").tag("system").handle(call -> {
            if (openApi == null) {
                openApi = org.likeness.json.Json.MAPPER.writeValueAsBytes(OpenApi.document(server.routes()));
            }
            call.ctx().contentType("application/json").result(openApi);
        });
        routes.post("/login", "Sign in (JSON: name, password): a new session cookie and its CSRF token").tag("session")
                .json().handle(SystemRoutes::login);
        routes.post("/logout", "End this session").tag("session").roles(Role.ADMIN, Role.values()).handle(SystemRoutes::logout);
        routes.get("/me", "The caller: account, organisation, role").tag("session").roles(Role.ADMIN, Role.values())
                .handle(call -> call.json(me(call.caller())));
    }

    private static void login(Call call) {
        String name = call.requiredText("name");
        String password = call.requiredText("password");
        // a session cookie sent with the sign-in is ignored: the new session gets a new id (no fixation)
        Accounts.Login l = call.services().accounts().login(name, password.toCharArray(), call.ctx().ip());
        long maxAge = Duration.between(Instant.now(), l.expiresAt()).getSeconds();
        LikenessServer.setSessionCookies(call.ctx(), l.sessionToken(), l.csrfToken(), maxAge);
        call.ctx().attribute("account", l.principal().accountId());
        Map<String, Object> json = me(l.principal());
        json.put("csrf_token", l.csrfToken());
        json.put("expires_at", l.expiresAt().toString());
        call.json(json);
    }

    private static void logout(Call call) {
        String session = call.ctx().cookie(LikenessServer.SESSION_COOKIE);
        if (call.caller().viaSession()) {
            call.services().accounts().logout(session, call.caller().actor());
        }
        LikenessServer.clearSessionCookies(call.ctx());
        call.json(Map.of("signed_out", call.caller().viaSession()));
    }

    static Map<String, Object> me(Principal p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("account", p.accountId());
        m.put("name", p.name());
        m.put("organisation", p.organisation());
        m.put("role", p.role().word());
        m.put("subject", p.subjectId());
        m.put("via", p.viaSession() ? "session" : "api_key");
        return m;
    }
}
