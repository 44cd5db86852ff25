package org.likeness.registry;

/** An image of a registered collection that holds a subject's face, as identified at registration or the last rescan. */
public record ImpactedImage(String collection, String owner, String location, String path, String sha256, int faces) {
}
