package org.likeness.serve;

import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.likeness.account.AuthenticationException;
import org.likeness.account.ThrottledException;
import org.likeness.json.Json;
import org.likeness.registry.DuplicateException;
import org.likeness.registry.InputText;
import org.likeness.registry.InvalidInputException;
import org.likeness.registry.MasterKeyException;
import org.likeness.registry.NotFoundException;
import org.likeness.registry.StorageException;
import org.likeness.registry.TamperException;

/** Every failure as {@code application/problem+json}: one kind, one line, no stack trace (that goes to stderr). */
final class Problems {
    private final AccessLog log;

    Problems(AccessLog log) {
        this.log = log;
    }

    void render(Exception e, Context ctx) {
        Problem p = classify(e);
        if (p.kind() == Problem.Kind.INTERNAL) {
            String id = UUID.randomUUID().toString();
            // the detail stays on the server: it may name paths or values the caller must not see
            log.event("internal_error", Map.of("incident", id, "exception", e.getClass().getName()));
            e.printStackTrace();
            p = new Problem(Problem.Kind.INTERNAL, "internal error (incident " + id + " in the server's log)");
        }
        if (p.kind() == Problem.Kind.UNAUTHENTICATED) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"likeness\"");
        }
        if (e instanceof ThrottledException t) {
            ctx.header("Retry-After", Long.toString(t.retryAfterSeconds()));
        }
        write(ctx, p.kind(), p.getMessage());
    }

    static void write(Context ctx, Problem.Kind kind, String detail) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", kind.type());
        m.put("title", kind.title);
        m.put("status", kind.status);
        m.put("detail", detail == null ? kind.title : InputText.printable(detail));
        try {
            ctx.status(kind.status).contentType("application/problem+json").result(Json.MAPPER.writeValueAsBytes(m));
        } catch (IOException e) {
            ctx.status(kind.status).result(kind.title);
        }
    }

    static Problem classify(Throwable e) {
        if (e instanceof Problem p) {
            return p;
        }
        if (e instanceof NotFoundException) {
            return new Problem(Problem.Kind.NOT_FOUND, e.getMessage());
        }
        if (e instanceof DuplicateException) {
            return new Problem(Problem.Kind.CONFLICT, e.getMessage());
        }
        if (e instanceof InvalidInputException || e instanceof IllegalArgumentException && e.getMessage() != null
                && !(e instanceof NumberFormatException)) {
            return new Problem(Problem.Kind.INVALID, e.getMessage());
        }
        if (e instanceof AuthenticationException) {
            return new Problem(Problem.Kind.UNAUTHENTICATED, e.getMessage());
        }
        if (e instanceof ThrottledException) {
            return new Problem(Problem.Kind.THROTTLED, e.getMessage());
        }
        if (e instanceof TamperException) {
            return new Problem(Problem.Kind.UNAVAILABLE, "the registry refused to act: its rows or log were changed"
                    + " behind its back (run `likeness log verify` on the server)");
        }
        if (e instanceof StorageException || e instanceof MasterKeyException) {
            return new Problem(Problem.Kind.UNAVAILABLE, "the registry database failed; retry later");
        }
        if (e instanceof IOException io && io.getMessage() != null) {
            // the face pipeline could not read an uploaded photo: its message names the upload, not the spool file
            return new Problem(Problem.Kind.INVALID, io.getMessage());
        }
        if (tooLarge(e)) {
            return new Problem(Problem.Kind.TOO_LARGE, "the request body is larger than the server accepts");
        }
        if (malformed(e)) {
            return new Problem(Problem.Kind.BAD_REQUEST, "the request body is malformed (Jetty refused to parse it)");
        }
        if (e instanceof HttpResponseException h) {
            return switch (h.getStatus()) {
                case 400 -> new Problem(Problem.Kind.BAD_REQUEST, h.getMessage());
                case 404 -> new Problem(Problem.Kind.NO_ROUTE, "no such route");
                case 405 -> new Problem(Problem.Kind.METHOD, "the route does not take this method");
                case 413 -> new Problem(Problem.Kind.TOO_LARGE, "the request body is larger than the server accepts");
                case 415 -> new Problem(Problem.Kind.MEDIA_TYPE, h.getMessage());
                default -> new Problem(Problem.Kind.INTERNAL, h.getMessage());
            };
        }
        return new Problem(Problem.Kind.INTERNAL, e.getMessage());
    }

    /** Jetty refused the body as malformed (a multipart part header with a control character, a broken boundary). */
    private static boolean malformed(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.eclipse.jetty.http.HttpException h && h.getCode() == 400) {
                return true;
            }
        }
        return false;
    }

    /** Jetty's multipart parser refuses a body past the configured maximum with one of these messages. */
    private static boolean tooLarge(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && (m.contains("exceeds max") || m.contains("max length exceeded") || m.contains("too large")
                    || m.contains("Request exceeds maxRequestSize") || m.contains("exceeds the maximum"))) {
                return true;
            }
            if (t instanceof org.eclipse.jetty.http.BadMessageException b && b.getCode() == 413) {
                return true;
            }
        }
        return false;
    }
}
