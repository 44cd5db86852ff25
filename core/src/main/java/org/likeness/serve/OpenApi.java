package org.likeness.serve;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.likeness.account.Role;

/** The OpenAPI 3.1 document, written from the route table (so every route is documented, and only routes that exist). */
public final class OpenApi {
    private static final Pattern PARAM = Pattern.compile("\\{([A-Za-z]+)}");

    private OpenApi() {
    }

    public static Map<String, Object> document(List<Route> routes) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("openapi", "3.1.0");
        doc.put("info", Map.of("title", "Likeness", "version", "1",
                "description", "The consent registry, audits and traces of Likeness as a service. Errors are"
                        + " application/problem+json (RFC 9457). Lists are paged: limit and after, answered with next."));
        doc.put("servers", List.of(Map.of("url", LikenessServer.API)));
        Map<String, Object> paths = new TreeMap<>();
        for (Route r : routes) {
            @SuppressWarnings("unchecked")
            Map<String, Object> item = (Map<String, Object>) paths.computeIfAbsent(r.path(), p -> new LinkedHashMap<>());
            item.put(r.method().toLowerCase(java.util.Locale.ROOT), operation(r));
        }
        doc.put("paths", paths);
        Map<String, Object> components = new LinkedHashMap<>();
        components.put("securitySchemes", Map.of(
                "apiKey", Map.of("type", "http", "scheme", "bearer", "description", "An API key: lk_ID_SECRET"),
                "session", Map.of("type", "apiKey", "in", "cookie", "name", LikenessServer.SESSION_COOKIE,
                        "description", "A browser session from POST /login; requests that change something also send"
                                + " the session's CSRF token in " + LikenessServer.CSRF_HEADER)));
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "object");
        problem.put("required", List.of("type", "title", "status", "detail"));
        problem.put("properties", Map.of("type", Map.of("type", "string", "format", "uri"), "title", Map.of("type", "string"),
                "status", Map.of("type", "integer"), "detail", Map.of("type", "string")));
        components.put("schemas", Map.of("Problem", problem, "Object", Map.of("type", "object")));
        doc.put("components", components);
        return doc;
    }

    /** The path parameter names of a route template, in order. */
    public static List<String> pathParams(String path) {
        List<String> out = new ArrayList<>();
        Matcher m = PARAM.matcher(path);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static Map<String, Object> operation(Route r) {
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("operationId", operationId(r));
        op.put("summary", r.summary());
        op.put("tags", List.of(r.tag()));
        List<Object> params = new ArrayList<>();
        for (String p : pathParams(r.path())) {
            params.add(Map.of("name", p, "in", "path", "required", true, "schema", Map.of("type", "string")));
        }
        if (!r.isPublic()) {
            params.add(Map.of("name", Call.PURPOSE_HEADER, "in", "header", "required", false, "description",
                    "Why personal data is read (logged with every such read); letters, digits, spaces and ._:/-, at most 64",
                    "schema", Map.of("type", "string")));
            if (r.changesState()) {
                params.add(Map.of("name", LikenessServer.CSRF_HEADER, "in", "header", "required", false, "description",
                        "The session's CSRF token (from POST /login); required with a session cookie, not with an API key",
                        "schema", Map.of("type", "string")));
            }
        }
        for (Route.Param q : r.query()) {
            params.add(Map.of("name", q.name(), "in", "query", "required", q.required(), "description", q.description(),
                    "schema", Map.of("type", "string")));
        }
        if (!params.isEmpty()) {
            op.put("parameters", params);
        }
        if (r.body() != Route.Body.NONE) {
            String type = r.body() == Route.Body.JSON ? "application/json" : "multipart/form-data";
            op.put("requestBody", Map.of("required", true, "content", Map.of(type,
                    Map.of("schema", Map.of("$ref", "#/components/schemas/Object")))));
        }
        Map<String, Object> responses = new LinkedHashMap<>();
        responses.put(Integer.toString(r.status()), Map.of("description", "Success",
                "content", Map.of("application/json", Map.of("schema", Map.of("$ref", "#/components/schemas/Object")))));
        new java.util.TreeMap<>(r.others()).forEach((status, meaning) -> responses.put(Integer.toString(status), Map.of("description",
                meaning, "content", Map.of("application/json", Map.of("schema", Map.of("$ref", "#/components/schemas/Object"))))));
        responses.put("default", Map.of("description", "A problem (RFC 9457)",
                "content", Map.of("application/problem+json", Map.of("schema", Map.of("$ref", "#/components/schemas/Problem")))));
        op.put("responses", responses);
        if (r.isPublic()) {
            op.put("security", List.of());
        } else {
            op.put("security", List.of(Map.of("apiKey", List.of()), Map.of("session", List.of())));
            op.put("x-roles", r.roles().stream().map(Role::word).sorted().toList());
        }
        return op;
    }

    private static String operationId(Route r) {
        StringBuilder sb = new StringBuilder(r.method().toLowerCase(java.util.Locale.ROOT));
        for (String part : r.path().split("[/{}.-]+")) {
            if (!part.isEmpty()) {
                sb.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return sb.toString();
    }
}
