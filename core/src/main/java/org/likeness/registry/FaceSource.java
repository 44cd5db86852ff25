package org.likeness.registry;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Where enrolment faces come from. The face pipeline implements it; the registry only sees the
 * resulting embeddings. Implementations that hold native sessions override {@link #close()}.
 */
public interface FaceSource extends AutoCloseable {
    /** Every face found in the photo, in a stable order (the order {@code --face N} refers to). */
    List<EnrolFace> faces(Path photo) throws IOException;

    /** The id of the model that made the embeddings, e.g. {@code faceplugin-fr_feature@0.0.1}. */
    String modelId();

    @Override
    default void close() throws IOException {
    }
}
