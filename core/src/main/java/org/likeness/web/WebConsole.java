package org.likeness.web;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;

/**
 * The console's and the portal's pages and assets, all from the jar (nothing from a CDN, no web font): the pages are
 * {@link WebPages} templates in the reader's language, the assets {@code web/static/*}. Pages hold no data, so they
 * need no sign-in; the page script fetches the data from {@code /api/v1} under the reader's session.
 */
public final class WebConsole {
    /** Page paths and the template each shows. */
    static final Map<String, String> PAGES = Map.ofEntries(
            Map.entry("/login", "login"), Map.entry("/console", "dashboard"), Map.entry("/console/subjects", "subjects"),
            Map.entry("/console/subjects/{id}", "subject"), Map.entry("/console/collections", "collections"),
            Map.entry("/console/audits", "audits"), Map.entry("/console/traces", "traces"), Map.entry("/console/log", "log"), Map.entry("/console/admin", "admin"),
            Map.entry("/portal", "portal"), Map.entry("/invite/{token}", "invite"));
    static final Map<String, String> TYPES = Map.of("css", "text/css; charset=utf-8", "js", "text/javascript; charset=utf-8",
            "svg", "image/svg+xml", "png", "image/png");
    /**
     * The pages' Content-Security-Policy: the service's (no inline script, nothing from elsewhere, never framed) plus
     * {@code blob:} images, so the face picker can show the photo being enrolled without sending it anywhere first.
     */
    static final String CSP = "default-src 'self'; script-src 'self'; img-src 'self' blob:; frame-ancestors 'none';"
            + " base-uri 'none'; form-action 'self'";
    /** The reader's language choice is kept a year. */
    private static final int LANG_COOKIE_SECONDS = 365 * 24 * 3600;

    private final WebPages pages = new WebPages();

    /** Adds the page and asset routes to the server's configuration. */
    public void install(JavalinConfig c) {
        c.routes.get("/", ctx -> ctx.redirect("/console"));
        PAGES.forEach((path, page) -> c.routes.get(path, ctx -> page(ctx, page)));
        c.routes.get("/web/static/{file}", this::asset);
        c.routes.get("/web/messages.json", ctx -> ctx.contentType("application/json; charset=utf-8")
                .result(WebPages.messagesJson(WebPages.language(ctx.queryParam("lang"), ctx.header("Accept-Language")))));
    }

    private void page(Context ctx, String name) {
        String chosen = ctx.queryParam("lang");
        if (WebPages.supported(chosen) != null) {
            ctx.cookie(new Cookie("lang", WebPages.supported(chosen).toLanguageTag(), "/", LANG_COOKIE_SECONDS,
                    ctx.req().isSecure(), true, null, SameSite.LAX));
        } else {
            chosen = ctx.cookie("lang");
        }
        Locale lang = WebPages.language(chosen, ctx.header("Accept-Language"));
        ctx.contentType("text/html; charset=utf-8").header("Content-Language", lang.toLanguageTag())
                .header("Content-Security-Policy", CSP)
                .result(pages.page(name, lang));
    }

    private void asset(Context ctx) throws IOException {
        String file = ctx.pathParam("file");
        int dot = file.lastIndexOf('.');
        String type = dot < 0 ? null : TYPES.get(file.substring(dot + 1));
        if (!file.matches("[a-z0-9][a-z0-9.-]*") || type == null) {
            ctx.status(404).contentType("text/plain").result("no such file");
            return;
        }
        try (InputStream in = WebConsole.class.getResourceAsStream("/web/static/" + file)) {
            if (in == null) {
                ctx.status(404).contentType("text/plain").result("no such file");
                return;
            }
            ctx.contentType(type).result(in.readAllBytes());
        }
    }
}
