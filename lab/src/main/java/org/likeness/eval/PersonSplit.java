package org.likeness.eval;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * The tuning/evaluation split of a labelled photo folder by person (docs/DECISIONS.md "Tuning and evaluation halves"):
 * a person (the photo's parent folder, as in lfw-dev's {@code images/NAME/NAME_0001.jpg}) is in the evaluation half when
 * the lowest bit of the first byte of SHA-256("likeness-split-v1\0" + NAME) is 1. Deterministic, independent of the
 * photos' order and of any result, and no person is in both halves. {@code eval fingerprint --split} also moves the people
 * of the photos that chose the mark's parameters (ParameterSweep's 60) to the tuning half.
 */
public enum PersonSplit {
    TUNING, EVALUATION, ALL;

    private static final String DOMAIN = "likeness-split-v1\0";

    /** The half a person is in (never ALL). */
    public static PersonSplit of(String person) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest((DOMAIN + person).getBytes(StandardCharsets.UTF_8));
            return (d[0] & 1) == 1 ? EVALUATION : TUNING;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    /** Whether a photo (its person is its parent folder's name) is in this half. */
    public boolean holds(Path photo) {
        if (this == ALL) {
            return true;
        }
        Path parent = photo.getParent();
        return parent != null && of(parent.getFileName().toString()) == this;
    }

    public static PersonSplit parse(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }

    /** The half's name as options and outputs spell it: tuning, evaluation, all. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
