package org.likeness.serve;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.likeness.account.Role;

/** The route table being built: every {@link RouteGroup} adds its routes here. */
public final class Routes {
    private final List<Route> routes = new ArrayList<>();

    /** Starts a route; finish it with {@link Builder#handle}. */
    public Builder get(String path, String summary) {
        return new Builder("GET", path, summary);
    }

    public Builder post(String path, String summary) {
        return new Builder("POST", path, summary);
    }

    public Builder delete(String path, String summary) {
        return new Builder("DELETE", path, summary);
    }

    public List<Route> all() {
        return List.copyOf(routes);
    }

    void add(Route r) {
        for (Route other : routes) {
            if (other.name().equals(r.name())) {
                throw new IllegalStateException("route " + r.name() + " is registered twice");
            }
        }
        routes.add(r);
    }

    public final class Builder {
        private final String method;
        private final String path;
        private final String summary;
        private String tag = "registry";
        private Set<Role> roles = Set.of();
        private final List<Route.Param> query = new ArrayList<>();
        private Route.Body body = Route.Body.NONE;
        private int status = 200;
        private final java.util.Map<Integer, String> others = new java.util.TreeMap<>();

        private Builder(String method, String path, String summary) {
            this.method = method;
            this.path = path;
            this.summary = summary;
        }

        public Builder tag(String t) {
            this.tag = t;
            return this;
        }

        /** Who may call it; without this the route is public. */
        public Builder roles(Role first, Role... more) {
            EnumSet<Role> s = EnumSet.of(first);
            s.addAll(Arrays.asList(more));
            this.roles = s;
            return this;
        }

        public Builder query(String name, String description) {
            query.add(new Route.Param(name, description, false));
            return this;
        }

        public Builder requiredQuery(String name, String description) {
            query.add(new Route.Param(name, description, true));
            return this;
        }

        /** Paged list: {@code limit} and {@code after}. */
        public Builder paged() {
            query("limit", "At most this many items (1.." + Call.MAX_PAGE + ", default " + Call.DEFAULT_PAGE + ").");
            query("after", "The `next` value of the previous page.");
            return this;
        }

        public Builder json() {
            this.body = Route.Body.JSON;
            return this;
        }

        public Builder multipart() {
            this.body = Route.Body.MULTIPART;
            return this;
        }

        public Builder status(int s) {
            this.status = s;
            return this;
        }

        /** Another answer than the success status that is not a problem (documented in the OpenAPI document). */
        public Builder alsoAnswers(int s, String meaning) {
            others.put(s, meaning);
            return this;
        }

        public Route handle(Route.Action action) {
            Route r = new Route(method, path, summary, tag, roles, query, body, status, action, others);
            add(r);
            return r;
        }
    }
}
