package org.likeness.serve;

/**
 * A set of routes another package adds to the service (jobs, screening, the web console): registered once at start,
 * documented in the OpenAPI document like the service's own, authorised by the roles each route declares. The
 * service calls {@link #stop} on graceful shutdown, after in-flight requests finished and before the registry
 * closes: the place to checkpoint running work.
 */
public interface RouteGroup {
    void register(Routes routes, Services services);

    /**
     * For what is not an API route (the web console's pages and static files): called once while the server is
     * configured. Answers outside {@code /api/v1} still get the security headers and the access log, but no role
     * check: a page must not hold personal data (it calls the API, which checks).
     */
    default void configure(io.javalin.config.JavalinConfig config) {
    }

    /** Graceful shutdown: finish or checkpoint running work; called once. */
    default void stop() {
    }
}
