package org.likeness.hashlist;

import java.util.List;

/**
 * One registered image in a hash list.
 *
 * @param id         opaque and stable across versions (keyed hash of collection and content; removals name it)
 * @param collection the collection's label
 * @param pdq        its PDQ hash (64 hex digits), or null when the photo was too flat to hash
 * @param faces      its faces' sketches ({@link FaceSketch}, hex), empty in a list without faces
 */
public record ListEntry(String id, String collection, String pdq, List<String> faces) {
    public ListEntry {
        if (id == null || !id.matches("[0-9a-f]{32}")) {
            throw new IllegalArgumentException("an entry id is 32 lower-case hex digits");
        }
        if (collection == null || collection.isEmpty()) {
            throw new IllegalArgumentException("entry " + id + " names no collection");
        }
        if (pdq != null && !pdq.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("entry " + id + ": PDQ hash is not 64 hex digits");
        }
        faces = faces == null ? List.of() : List.copyOf(faces);
        for (String f : faces) {
            FaceSketch.parseHex(f);
        }
    }
}
