package org.likeness.serve;

import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.HandlerType;
import io.javalin.http.SameSite;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.likeness.account.Accounts;
import org.likeness.account.AllowedPaths;
import org.likeness.account.Principal;
import org.likeness.account.Secrets;
import org.likeness.registry.Registry;

/**
 * The HTTP service: one registry, the route table (the service's own groups and any others), authentication (API key
 * or session cookie), role checks, CSRF, security headers, problems, the access log and graceful shutdown.
 */
public final class LikenessServer implements AutoCloseable {
    public static final String API = "/api/v1";
    public static final String SESSION_COOKIE = "likeness_session";
    /** Readable by the page's script (not HttpOnly): it sends it back in {@value #CSRF_HEADER}. */
    public static final String CSRF_COOKIE = "likeness_csrf";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    /** The method override header Javalin routes by; refused (the request line's method is the method). */
    static final String METHOD_OVERRIDE = "X-HTTP-Method-Override";
    /** No inline script, nothing from elsewhere, never framed. */
    public static final String CSP = "default-src 'self'; script-src 'self'; frame-ancestors 'none'";
    /** Largest JSON body: every JSON request is a few fields. */
    static final long MAX_JSON = 64 * 1024;
    /** Parts held in memory below this size; larger parts stream to the upload folder. */
    static final int MULTIPART_MEMORY = 64 * 1024;

    private final Services services;
    private final List<RouteGroup> groups;
    private final List<Route> routes;
    private final AccessLog accessLog;
    private final Problems problems;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean draining;
    private Javalin app;

    public LikenessServer(ServerConfig config, Registry registry, Faces faces, List<RouteGroup> extraGroups,
                          PrintStream accessOut) throws IOException {
        Uploads uploads = new Uploads(config.uploadDir(), config.maxUpload());
        uploads.clean();
        this.services = new Services(registry, new Accounts(registry), new AllowedPaths(registry), uploads, faces, config);
        this.accessLog = new AccessLog(accessOut);
        this.problems = new Problems(accessLog);
        this.groups = new ArrayList<>();
        groups.add(new SystemRoutes(this));
        groups.add(new AccountRoutes());
        groups.add(new SubjectRoutes());
        groups.add(new ConsentRoutes());
        groups.add(new CollectionRoutes());
        groups.add(new LogRoutes());
        groups.addAll(extraGroups);
        Routes table = new Routes();
        for (RouteGroup g : groups) {
            g.register(table, services);
        }
        this.routes = table.all();
    }

    public List<Route> routes() {
        return routes;
    }

    public Services services() {
        return services;
    }

    public LikenessServer start() {
        ServerConfig config = services.config();
        app = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.startup.showOldJavalinVersionWarning = false;
            c.http.maxRequestSize = MAX_JSON;
            c.jetty.multipartConfig.cacheDirectory(services.uploads().dir().toString());
            c.jetty.multipartConfig.maxFileSize(config.maxUpload(), SizeUnit.BYTES);
            c.jetty.multipartConfig.maxTotalRequestSize(config.maxUpload(), SizeUnit.BYTES);
            c.jetty.multipartConfig.maxInMemoryFileSize(MULTIPART_MEMORY, SizeUnit.BYTES);
            c.jetty.modifyServer(s -> s.setStopTimeout(config.drainMs()));
            c.requestLogger.http((ctx, ms) -> {
                inFlight.decrementAndGet();
                accessLog.request(ctx.req().getMethod(), routeOf(ctx), ctx.statusCode(), ms, ctx.attribute("account"));
            });
            c.routes.before(this::before);
            c.routes.get("/healthz", ctx -> json(ctx, Map.of("status", "ok")));
            c.routes.get("/readyz", this::ready);
            for (Route r : routes) {
                HandlerType type = switch (r.method()) {
                    case "GET" -> HandlerType.GET;
                    case "POST" -> HandlerType.POST;
                    case "DELETE" -> HandlerType.DELETE;
                    default -> throw new IllegalStateException("route method " + r.method() + " is not supported");
                };
                c.routes.addHttpHandler(type, API + r.path(), ctx -> handle(r, ctx));
            }
            for (RouteGroup g : groups) {
                g.configure(c);
            }
            c.routes.exception(Exception.class, problems::render);
            c.routes.error(404, ctx -> {
                if (ctx.attribute("route") == null) {
                    Problems.write(ctx, Problem.Kind.NO_ROUTE, "no route " + ctx.method().name() + " " + ctx.path());
                }
            });
            c.routes.error(405, ctx -> Problems.write(ctx, Problem.Kind.METHOD, "the route does not take " + ctx.method().name()));
        });
        app.start(config.bind(), config.port());
        accessLog.event("started", Map.of("bind", config.bind(), "port", app.port(), "routes", routes.size()));
        return this;
    }

    public int port() {
        return app.port();
    }

    private void before(Context ctx) {
        inFlight.incrementAndGet();
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Cache-Control", "no-store");
        if (draining) {
            throw new Problem(Problem.Kind.UNAVAILABLE, "the server is shutting down");
        }
        if (ctx.req().getHeader(METHOD_OVERRIDE) != null) {
            // Javalin routes by this header: a GET that proxies, caches and people read as a read would erase a subject
            throw new Problem(Problem.Kind.BAD_REQUEST, METHOD_OVERRIDE + " is not accepted: send the method on the request line");
        }
        String length = ctx.header("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > services.config().maxUpload()) {
                    // refused before a byte of the body is read
                    throw new Problem(Problem.Kind.TOO_LARGE, "the request body (" + length.trim()
                            + " bytes) is larger than the server accepts (--max-upload " + services.config().maxUpload() + ")");
                }
            } catch (NumberFormatException e) {
                throw new Problem(Problem.Kind.BAD_REQUEST, "Content-Length is not a number");
            }
        }
    }

    private void ready(Context ctx) {
        if (draining) {
            throw new Problem(Problem.Kind.UNAVAILABLE, "the server is shutting down");
        }
        services.registry().logHead(); // one read: the database answers
        json(ctx, Map.of("status", "ready"));
    }

    private static String routeOf(Context ctx) {
        String r = ctx.attribute("route");
        if (r != null) {
            return r;
        }
        String p = ctx.path();
        return p.equals("/healthz") || p.equals("/readyz") ? ctx.method().name() + " " + p : "-";
    }

    private void handle(Route route, Context ctx) throws Exception {
        ctx.attribute("route", route.method() + " " + API + route.path());
        Principal caller;
        if (route.isPublic()) {
            // a public route (sign-in) ignores credentials that do not hold: a session id planted in the browser before
            // sign-in must not stop it, and is replaced by the new session's
            try {
                caller = authenticate(ctx, false);
            } catch (org.likeness.account.AuthenticationException | Problem stale) {
                caller = null;
            }
        } else {
            caller = authenticate(ctx, true);
        }
        if (caller != null) {
            ctx.attribute("account", caller.accountId());
        }
        if (!route.isPublic()) {
            if (caller.viaSession() && route.changesState()) {
                checkCsrf(ctx, caller);
            }
            if (!route.roles().contains(caller.role())) {
                throw new Problem(Problem.Kind.FORBIDDEN, "role " + caller.role().word() + " may not call " + route.name());
            }
        }
        if (route.body() == Route.Body.MULTIPART) {
            String type = ctx.contentType();
            if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
                throw new Problem(Problem.Kind.MEDIA_TYPE, route.name() + " takes multipart/form-data");
            }
        }
        route.action().handle(new Call(ctx, route, caller, services));
    }

    /** An API key (Authorization: Bearer) or a session cookie; null when neither and {@code required} is false. */
    private Principal authenticate(Context ctx, boolean required) {
        String auth = ctx.header("Authorization");
        if (auth != null) {
            if (!auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
                throw new Problem(Problem.Kind.UNAUTHENTICATED, "Authorization must be 'Bearer API_KEY'");
            }
            return services.accounts().key(auth.substring(7).trim());
        }
        String session = ctx.cookie(SESSION_COOKIE);
        if (session != null) {
            return services.accounts().session(session);
        }
        if (required) {
            throw new Problem(Problem.Kind.UNAUTHENTICATED, "sign in (POST " + API + "/login) or send 'Authorization: Bearer API_KEY'");
        }
        return null;
    }

    /** Synchroniser token: the header must hold the token whose hash the session stored at sign-in. */
    private static void checkCsrf(Context ctx, Principal caller) {
        String token = ctx.header(CSRF_HEADER);
        if (token == null || token.length() > 128 || !Secrets.same(Secrets.sha256(token), caller.csrfSha256())) {
            throw new Problem(Problem.Kind.CSRF, "a signed-in browser must send the session's CSRF token in " + CSRF_HEADER
                    + " with every request that changes something");
        }
    }

    /** Sets the session and CSRF cookies of a new sign-in (Secure when the request came over TLS). */
    static void setSessionCookies(Context ctx, String session, String csrf, long maxAgeSeconds) {
        boolean secure = ctx.req().isSecure();
        ctx.cookie(new Cookie(SESSION_COOKIE, session, "/", (int) maxAgeSeconds, secure, true, null, SameSite.STRICT));
        ctx.cookie(new Cookie(CSRF_COOKIE, csrf, "/", (int) maxAgeSeconds, secure, false, null, SameSite.STRICT));
    }

    static void clearSessionCookies(Context ctx) {
        boolean secure = ctx.req().isSecure();
        ctx.cookie(new Cookie(SESSION_COOKIE, "", "/", 0, secure, true, null, SameSite.STRICT));
        ctx.cookie(new Cookie(CSRF_COOKIE, "", "/", 0, secure, false, null, SameSite.STRICT));
    }

    private static void json(Context ctx, Object value) {
        try {
            ctx.contentType("application/json").result(org.likeness.json.Json.MAPPER.writeValueAsBytes(value));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Graceful shutdown: new requests get 503, in-flight ones finish (up to the drain time), then each route group
     * stops (jobs checkpoint), then Jetty stops. The registry is closed by its owner.
     */
    public void stop() {
        if (app == null) {
            return;
        }
        draining = true;
        accessLog.event("draining", Map.of("in_flight", Math.max(0, inFlight.get())));
        long deadline = System.currentTimeMillis() + services.config().drainMs();
        while (inFlight.get() > 0 && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (RouteGroup g : groups) {
            try {
                g.stop();
            } catch (RuntimeException e) {
                accessLog.event("stop_failed", Map.of("group", g.getClass().getSimpleName(), "reason", String.valueOf(e.getMessage())));
            }
        }
        app.stop();
        app = null;
        try {
            services.faces().close();
        } catch (IOException ignored) {
            // the models' native sessions go with the process
        }
        accessLog.event("stopped", Map.of());
    }

    @Override
    public void close() {
        stop();
    }
}
