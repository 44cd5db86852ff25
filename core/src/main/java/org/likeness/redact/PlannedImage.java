package org.likeness.redact;

import org.likeness.face.Box;

import java.util.List;

/**
 * What an audit (or a registered collection) said about one image, as far as redaction needs it.
 *
 * @param path   path inside the dataset
 * @param sha256 content hash at the audit; a file whose bytes differ now is withheld, not guessed at
 * @param faces  faces found in it
 * @param redact boxes of the faces that may not be used (the rest are kept as they are)
 */
public record PlannedImage(String path, String sha256, int faces, List<Box> redact) {
    public PlannedImage {
        if (path == null || sha256 == null || sha256.length() != 64) {
            throw new IllegalArgumentException("a planned image needs a path and a sha256: " + path);
        }
        redact = List.copyOf(redact);
        if (faces < redact.size()) {
            throw new IllegalArgumentException(path + ": " + redact.size() + " faces to redact but only " + faces + " found");
        }
    }
}
