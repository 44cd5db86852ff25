package org.likeness.serve;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.likeness.account.Role;

/**
 * One API route: what the OpenAPI document says about it and who may call it.
 *
 * @param method   GET, POST or DELETE
 * @param path     under {@code /api/v1}, with {@code {name}} path parameters, e.g. {@code /subjects/{id}}
 * @param roles    the roles that may call it; empty: no sign-in needed
 * @param query    the query parameters it reads (documented; others are ignored)
 * @param body     what the request carries
 * @param status   the status of a successful answer
 * @param action   the handler
 * @param others   other non-problem answers it may give (status: what it means), e.g. 202 for work taken as a job
 */
public record Route(String method, String path, String summary, String tag, Set<Role> roles, List<Param> query, Body body,
                    int status, Action action, java.util.Map<Integer, String> others) {
    /** A documented query parameter. */
    public record Param(String name, String description, boolean required) {
    }

    public enum Body {
        NONE, JSON, MULTIPART
    }

    /** The handler of a route; the caller is authenticated and allowed by role before it runs. */
    @FunctionalInterface
    public interface Action {
        void handle(Call call) throws Exception;
    }

    public Route {
        roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
        query = List.copyOf(query);
        others = java.util.Map.copyOf(others);
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("route path must start with /: " + path);
        }
    }

    public boolean isPublic() {
        return roles.isEmpty();
    }

    /** Changes state: for a browser session it needs the CSRF token. */
    public boolean changesState() {
        return !method.equals("GET");
    }

    /** {@code GET /subjects/{id}}: how the access log and the tests name it. */
    public String name() {
        return method + " " + path;
    }
}
