package org.likeness.redact;

import java.util.Locale;

/** How a face that may not be used is removed from a copy of a dataset. */
public enum RedactMode {
    /** A face-size-relative Gaussian blur plus noise over the face and its surroundings. */
    BLUR,
    /** Large blocks (a few across the face), each a noisy mean of its pixels. */
    PIXELATE,
    /** A flat grey box. */
    MASK,
    /** The whole image is left out of the copy. */
    DROP;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RedactMode parse(String s) {
        for (RedactMode m : values()) {
            if (m.word().equalsIgnoreCase(s)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown redaction mode '" + s + "': use blur, pixelate, mask or drop");
    }
}
