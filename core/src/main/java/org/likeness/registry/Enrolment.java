package org.likeness.registry;

import java.time.Instant;
import java.util.Objects;

/** An enrolled template's metadata; the template itself stays encrypted in the database. */
public record Enrolment(long id, String subjectId, String modelId, int dimensions, double quality,
                       String sourceSha256, Instant createdAt) {
    public Enrolment {
        Objects.requireNonNull(subjectId, "subjectId");
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
