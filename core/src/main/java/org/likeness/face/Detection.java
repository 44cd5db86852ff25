package org.likeness.face;

/**
 * What a detector found: a box, its confidence and, when the detector gives them, five landmarks.
 *
 * @param landmarks five points, or null when the detector has none (a landmark model supplies them)
 */
public record Detection(Box box, float score, Landmarks landmarks) {
    public Detection {
        if (box == null) {
            throw new IllegalArgumentException("detection needs a box");
        }
        if (!(score >= 0 && score <= 1)) {
            throw new IllegalArgumentException("detection score must be in [0,1]: " + score);
        }
    }
}
