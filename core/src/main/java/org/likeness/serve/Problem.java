package org.likeness.serve;

/**
 * An answer that is not a success, as an RFC 9457 problem: a stable {@code type} per kind of error, the status, a
 * title and one clear detail line (never a stack trace, a server path or biometric data).
 */
public final class Problem extends RuntimeException {
    /** Every kind of problem the service answers: its status, type slug and title (docs/SECURITY.md lists them). */
    public enum Kind {
        BAD_REQUEST(400, "bad-request", "The request is malformed"),
        UNAUTHENTICATED(401, "unauthenticated", "Sign in or present an API key"),
        CSRF(403, "csrf", "The CSRF token is missing or wrong"),
        FORBIDDEN(403, "forbidden", "Your role may not call this route"),
        NOT_FOUND(404, "not-found", "No such record"),
        NO_ROUTE(404, "no-route", "No such route"),
        METHOD(405, "method-not-allowed", "The route does not take this method"),
        CONFLICT(409, "conflict", "The request conflicts with the registry's state"),
        TOO_LARGE(413, "too-large", "The request body is larger than the server accepts"),
        MEDIA_TYPE(415, "unsupported-media-type", "The request body has the wrong content type"),
        INVALID(422, "invalid-input", "The request's values are not acceptable"),
        THROTTLED(429, "throttled", "Too many attempts"),
        INTERNAL(500, "internal", "The server failed"),
        UNAVAILABLE(503, "unavailable", "The service cannot answer now");

        public final int status;
        public final String slug;
        public final String title;

        Kind(int status, String slug, String title) {
            this.status = status;
            this.slug = slug;
            this.title = title;
        }

        /** The problem's {@code type}: a stable URN per kind. */
        public String type() {
            return "urn:likeness:problem:" + slug;
        }
    }

    private final Kind kind;

    public Problem(Kind kind, String detail) {
        super(detail);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
