package org.likeness.serve;

import java.nio.file.Path;

/**
 * How the service listens.
 *
 * @param maxUpload  largest request body accepted (multipart uploads), bytes
 * @param uploadDir  where uploads are spooled (owner-only), deleted when the request ends
 * @param drainMs    how long a graceful shutdown waits for in-flight requests
 */
public record ServerConfig(String bind, int port, long maxUpload, Path uploadDir, long drainMs) {
    /** Default upload cap: a few hundred enrolment photos or a small dataset; larger sets use an allowed server path. */
    public static final long DEFAULT_MAX_UPLOAD = 512L * 1024 * 1024;
    /** Jetty's default idle timeout is 30 s; a drain as long lets a slow request finish. */
    public static final long DEFAULT_DRAIN_MS = 30_000;
}
