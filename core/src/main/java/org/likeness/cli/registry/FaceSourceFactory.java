package org.likeness.cli.registry;

import java.io.IOException;
import org.likeness.registry.FaceSource;

/**
 * Opens the face pipeline for {@code subject add}; called only when photos must be read, so listing
 * or erasing subjects never loads a model. The caller closes the returned source.
 */
@FunctionalInterface
public interface FaceSourceFactory {
    FaceSource open() throws IOException;

    /** The factory used until the face pipeline is wired in: refuses with a clear message. */
    FaceSourceFactory NONE = () -> {
        throw new IOException("no face pipeline is configured in this build: `subject add` cannot read photos");
    };
}
