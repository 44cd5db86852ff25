package org.likeness.serve;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.likeness.account.Principal;
import org.likeness.json.Json;
import org.likeness.registry.InputText;
import org.likeness.registry.Registry;

/** One request as a handler sees it: the caller, its parameters, and the ways to answer. */
public final class Call {
    public static final int DEFAULT_PAGE = 50;
    public static final int MAX_PAGE = 200;
    /** The header that names why personal data is read; logged with every such read. */
    public static final String PURPOSE_HEADER = "X-Likeness-Purpose";
    private static final Pattern PURPOSE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._:/-]{0,63}");

    private final Context ctx;
    private final Route route;
    private final Principal caller;
    private final Services services;
    private JsonNode body;

    Call(Context ctx, Route route, Principal caller, Services services) {
        this.ctx = ctx;
        this.route = route;
        this.caller = caller;
        this.services = services;
    }

    public Context ctx() {
        return ctx;
    }

    public Route route() {
        return route;
    }

    /** The authenticated caller, or null on a public route. */
    public Principal caller() {
        return caller;
    }

    public Services services() {
        return services;
    }

    /** The registry acting as the caller: its changes are logged under the caller's account. */
    public Registry registry() {
        return caller == null ? services.registry() : services.registry().as(caller.actor());
    }

    public String path(String name) {
        return ctx.pathParam(name);
    }

    public long pathLong(String name) {
        String v = ctx.pathParam(name);
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new Problem(Problem.Kind.BAD_REQUEST, name + " '" + InputText.printable(InputText.abbreviate(v))
                    + "' is not a number");
        }
    }

    public String query(String name) {
        String v = ctx.queryParam(name);
        return v == null || v.isEmpty() ? null : v;
    }

    public String requiredQuery(String name) {
        String v = query(name);
        if (v == null) {
            throw new Problem(Problem.Kind.BAD_REQUEST, "query parameter '" + name + "' is required");
        }
        return v;
    }

    /** {@code limit} of a paged list. */
    public int limit() {
        String v = query("limit");
        if (v == null) {
            return DEFAULT_PAGE;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= 1 && n <= MAX_PAGE) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw new Problem(Problem.Kind.BAD_REQUEST, "limit must be a whole number from 1 to " + MAX_PAGE);
    }

    public String after() {
        return query("after");
    }

    /** The JSON object the request carries (415 for another content type, 400 when it does not parse). */
    public JsonNode body() {
        if (body != null) {
            return body;
        }
        String type = ctx.contentType();
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new Problem(Problem.Kind.MEDIA_TYPE, route.name() + " takes application/json");
        }
        String length = ctx.header("Content-Length");
        if (length != null && Long.parseLong(length.trim()) > LikenessServer.MAX_JSON) {
            throw new Problem(Problem.Kind.TOO_LARGE, "a JSON body may hold at most " + LikenessServer.MAX_JSON + " bytes");
        }
        try (InputStream in = new BoundedInput(ctx.bodyInputStream(), LikenessServer.MAX_JSON)) {
            JsonNode n = Json.MAPPER.readTree(in);
            if (n == null || !n.isObject()) {
                throw new Problem(Problem.Kind.BAD_REQUEST, "the request body must be a JSON object");
            }
            body = n;
            return n;
        } catch (Problem p) {
            throw p;
        } catch (IOException e) {
            if (e.getCause() instanceof Problem p) {
                throw p;
            }
            throw new Problem(Problem.Kind.BAD_REQUEST, "the request body is not valid JSON");
        }
    }

    /** Stops a body (sent chunked, without a length) at the JSON cap instead of parsing it whole. */
    private static final class BoundedInput extends java.io.FilterInputStream {
        private final long max;
        private long read;

        BoundedInput(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count(b < 0 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            count(Math.max(n, 0));
            return n;
        }

        private void count(int n) throws IOException {
            read += n;
            if (read > max) {
                throw new IOException(new Problem(Problem.Kind.TOO_LARGE, "a JSON body may hold at most " + max + " bytes"));
            }
        }
    }

    public String text(String field) {
        JsonNode v = body().get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new Problem(Problem.Kind.BAD_REQUEST, "field '" + field + "' must be a string");
        }
        return v.asText();
    }

    public String requiredText(String field) {
        String v = text(field);
        if (v == null) {
            throw new Problem(Problem.Kind.BAD_REQUEST, "field '" + field + "' is required");
        }
        return v;
    }

    /** An uploaded file, streamed to the spool (413 past the cap); the caller deletes it. */
    public List<Upload> uploads(String field) throws IOException {
        List<Upload> out = new ArrayList<>();
        try {
            for (UploadedFile f : ctx.uploadedFiles(field)) {
                try (InputStream in = f.content()) {
                    out.add(new Upload(services.uploads().spool(in, services.uploads().max(), "upload " + f.filename()),
                            safeName(f.filename())));
                }
            }
        } catch (RuntimeException | IOException e) {
            Uploads.delete(out.stream().map(Upload::file).toList());
            throw e;
        }
        return out;
    }

    /** A form field of a multipart request. */
    public String form(String name) {
        String v = ctx.formParam(name);
        return v == null || v.isEmpty() ? null : v;
    }

    /** An uploaded file: where it was spooled and the (printable, path-free) name the client gave. */
    public record Upload(Path file, String name) {
    }

    private static String safeName(String name) {
        if (name == null || name.isBlank()) {
            return "(unnamed upload)";
        }
        String base = name.replace('\\', '/');
        base = base.substring(base.lastIndexOf('/') + 1);
        return InputText.printable(InputText.abbreviate(base));
    }

    /**
     * Why personal data is read: the {@value #PURPOSE_HEADER} header (letters, digits and {@code ._:/-}, at most 64),
     * else {@code fallback}.
     */
    public String purpose(String fallback) {
        String p = ctx.header(PURPOSE_HEADER);
        if (p == null || p.isEmpty()) {
            return fallback;
        }
        if (!PURPOSE.matcher(p).matches()) {
            throw new Problem(Problem.Kind.BAD_REQUEST, PURPOSE_HEADER + " may hold letters, digits, spaces and ._:/- (at most 64)");
        }
        return p;
    }

    /**
     * Records a read of personal data in the hash-chained log ({@code access.read}): who (account, role), why
     * (purpose), what (record kind and subject). Done before the data is sent.
     */
    public void recordRead(String record, String subjectId, String defaultPurpose) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("account", caller.accountId());
        payload.put("role", caller.role().word());
        payload.put("purpose", purpose(defaultPurpose));
        payload.put("record", record);
        payload.put("subject", subjectId);
        payload.put("route", route.name());
        registry().record("access.read", payload);
    }

    /** Answers with the route's success status and the JSON of {@code value}. */
    public void json(Object value) {
        json(route.status(), value);
    }

    public void json(int status, Object value) {
        try {
            ctx.status(status).contentType("application/json").result(Json.MAPPER.writeValueAsBytes(value));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    /** A page of a list: {@code {"items": [...], "next": CURSOR or null}}; next is null on the last page. */
    public <T> void page(List<T> items, int limit, java.util.function.Function<T, Object> render,
                         java.util.function.Function<T, String> cursor) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("items", items.stream().map(render).toList());
        m.put("next", items.size() < limit ? null : cursor.apply(items.get(items.size() - 1)));
        json(m);
    }
}
