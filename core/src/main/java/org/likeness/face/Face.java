package org.likeness.face;

/**
 * One face found in an image.
 *
 * @param box       where it is
 * @param score     detector confidence
 * @param landmarks the five points used for alignment
 * @param quality   how usable it is for recognition, see {@link FaceQuality}
 * @param embedding the identity vector
 */
public record Face(Box box, float score, Landmarks landmarks, FaceQuality quality, Embedding embedding) {
    public Face {
        if (box == null || landmarks == null || quality == null || embedding == null) {
            throw new IllegalArgumentException("a face needs a box, landmarks, quality and embedding");
        }
    }
}
