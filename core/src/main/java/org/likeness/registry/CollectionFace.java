package org.likeness.registry;

import java.util.Objects;

/**
 * One face of a registered collection's image.
 *
 * @param index      position of the face in the scan of its image
 * @param x          box left, pixels
 * @param y          box top, pixels
 * @param w          box width
 * @param h          box height
 * @param subjectId  the subject it was identified as (fail closed), or null
 * @param similarity to the best-matching template (0 when none)
 * @param template   its embedding: stored encrypted under the collection's key; null when not loaded or erased
 */
public record CollectionFace(int index, float x, float y, float w, float h, String subjectId, double similarity, float[] template) {
    public CollectionFace {
        if (index < 0 || !(w >= 0 && h >= 0) || !Float.isFinite(x) || !Float.isFinite(y)) {
            throw new InvalidInputException("invalid collection face " + index + " at " + x + "," + y + " " + w + "x" + h);
        }
    }

    public CollectionFace withoutTemplate() {
        return new CollectionFace(index, x, y, w, h, subjectId, similarity, null);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CollectionFace f && f.index == index && f.x == x && f.y == y && f.w == w && f.h == h
                && Objects.equals(f.subjectId, subjectId) && f.similarity == similarity;
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, x, y, w, h, subjectId);
    }

    @Override
    public String toString() {
        // never print the template
        return "CollectionFace[" + index + " " + x + "," + y + " " + w + "x" + h + " subject=" + subjectId + "]";
    }
}
