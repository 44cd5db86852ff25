package org.likeness.app;

import java.io.IOException;
import org.likeness.scan.DatasetEntry;
import org.likeness.scan.DatasetReader;

/**
 * Asks a running use case to stop. It is checked between files (the use case's reader stops handing out entries), so
 * what was already written stays as it is: a scan file stays resumable, a release keeps its INCOMPLETE marker.
 */
public final class Cancellation {
    private volatile String reason;

    /** A token nobody cancels. */
    public static Cancellation none() {
        return new Cancellation();
    }

    public void cancel(String why) {
        reason = why == null ? "cancelled" : why;
    }

    public boolean cancelled() {
        return reason != null;
    }

    /** Throws {@link CancelledException} once {@link #cancel} was called. */
    public void check() {
        String r = reason;
        if (r != null) {
            throw new CancelledException(r);
        }
    }

    /** {@code reader}, which throws {@link CancelledException} from {@code hasNext()} once cancelled. */
    public DatasetReader guard(DatasetReader reader) {
        return new DatasetReader() {
            @Override
            public boolean hasNext() {
                check();
                return reader.hasNext();
            }

            @Override
            public DatasetEntry next() {
                return reader.next();
            }

            @Override
            public void close() throws IOException {
                reader.close();
            }
        };
    }
}
