package org.likeness.screen;

import java.util.List;

/**
 * What the screen learned about one file of a listing.
 *
 * @param pdq     its PDQ hash (hex) when useful, else null
 * @param vectors its faces' embeddings (unit vectors)
 * @param match   the list entry it matches, or null
 * @param error   why it could not be inspected, or null
 */
public record ListingImage(String path, String pdq, List<float[]> vectors, ScreenLists.Match match, String error) {
    public ListingImage {
        vectors = vectors == null ? List.of() : List.copyOf(vectors);
    }

    static ListingImage failed(String path, String error) {
        return new ListingImage(path, null, List.of(), null, error);
    }

    public int faces() {
        return vectors.size();
    }
}
