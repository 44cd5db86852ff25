package org.likeness.serve;

import java.io.IOException;
import org.likeness.registry.FaceSource;

/**
 * The face pipeline for enrolment: opened on first use (loading the models takes seconds), shared, one enrolment at a
 * time, closed at shutdown. The command line hands it the pipeline; a server without one refuses enrolment clearly.
 */
public final class Faces implements AutoCloseable {
    /** Opens a face source (the command line passes the face pipeline). */
    @FunctionalInterface
    public interface Opener {
        FaceSource open() throws IOException;
    }

    /** A face source is used by one request at a time. */
    @FunctionalInterface
    public interface Work<T> {
        T run(FaceSource source) throws IOException;
    }

    private final Opener opener;
    private FaceSource source;

    public Faces(Opener opener) {
        this.opener = opener;
    }

    public synchronized <T> T with(Work<T> work) throws IOException {
        if (source == null) {
            try {
                source = opener.open();
            } catch (IOException e) {
                // the server's models, not the request: 500 with an incident id, the path stays on the server
                throw new java.io.UncheckedIOException("the face pipeline cannot be opened on this server", e);
            }
        }
        return work.run(source);
    }

    @Override
    public synchronized void close() throws IOException {
        if (source != null) {
            source.close();
            source = null;
        }
    }
}
