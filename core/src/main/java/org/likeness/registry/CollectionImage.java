package org.likeness.registry;

import java.util.List;

/**
 * One image of a registered collection: where it is inside the collection's dataset, its content hash, its PDQ hash
 * (null when the photo was too flat to hash) and its faces.
 */
public record CollectionImage(String path, String sha256, String pdq, List<CollectionFace> faces) {
    public CollectionImage {
        InputText.required("image path", path, 4096);
        InputText.sha256("sha256 of " + path, java.util.Objects.requireNonNull(sha256, "sha256 of " + path));
        if (pdq != null && !pdq.matches("[0-9a-f]{64}")) {
            throw new InvalidInputException("PDQ hash of " + path + " is not 64 hex digits");
        }
        faces = List.copyOf(faces);
    }
}
