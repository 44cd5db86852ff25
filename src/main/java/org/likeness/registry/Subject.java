package org.likeness.registry;

import java.time.Instant;
import java.util.Objects;

/** A registered person. {@code erasedAt} is set once the subject's templates and key are destroyed. */
public record Subject(String id, String displayName, Instant createdAt, Instant erasedAt) {
    public static final int MAX_ID = 128;
    public static final int MAX_NAME = 512;

    public Subject {
        InputText.required("subject id", id, MAX_ID);
        InputText.optional("subject name", displayName, MAX_NAME);
        Objects.requireNonNull(createdAt, "createdAt");
    }

    public boolean erased() {
        return erasedAt != null;
    }
}
