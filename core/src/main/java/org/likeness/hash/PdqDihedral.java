package org.likeness.hash;

/**
 * The eight symmetries of a square, in the reference's order ({@code pdqDihedralHash256esFromFloatLuma}).
 * A hash of the {@code ROTATE_90} variant equals (up to decoding noise) the hash of the image rotated by 90°.
 */
public enum PdqDihedral {
    ORIGINAL(false),
    ROTATE_90(true),
    ROTATE_180(false),
    ROTATE_270(true),
    FLIP_X(false),
    FLIP_Y(false),
    FLIP_PLUS_1(true),
    FLIP_MINUS_1(true);

    private final boolean transposes;

    PdqDihedral(boolean transposes) {
        this.transposes = transposes;
    }

    boolean transposes() {
        return transposes;
    }
}
