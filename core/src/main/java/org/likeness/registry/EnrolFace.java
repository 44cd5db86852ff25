package org.likeness.registry;

import java.util.Objects;

/**
 * One face to enrol: an embedding from the face pipeline, its quality, and the SHA-256 of the photo
 * it came from (the photo itself never reaches the registry).
 */
public record EnrolFace(float[] embedding, double quality, String sourceSha256) {
    public EnrolFace {
        Objects.requireNonNull(embedding, "embedding");
        if (embedding.length == 0) {
            throw new InvalidInputException("embedding is empty");
        }
        for (float v : embedding) {
            if (!Float.isFinite(v)) {
                throw new InvalidInputException("embedding of photo " + sourceSha256 + " has a non-finite component");
            }
        }
        if (!Double.isFinite(quality)) {
            throw new InvalidInputException("quality of photo " + sourceSha256 + " is not finite");
        }
        InputText.sha256("source sha256", Objects.requireNonNull(sourceSha256, "sourceSha256"));
    }

    @Override
    public String toString() {
        // never print the embedding
        return "EnrolFace[dims=" + embedding.length + ", quality=" + quality + ", source=" + sourceSha256 + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EnrolFace f && java.util.Arrays.equals(embedding, f.embedding)
                && quality == f.quality && sourceSha256.equals(f.sourceSha256);
    }

    @Override
    public int hashCode() {
        return Objects.hash(java.util.Arrays.hashCode(embedding), quality, sourceSha256);
    }
}
