package org.likeness.registry;

import java.util.regex.Pattern;

/** Validation of text fields given by users: length limits match the columns of V1__registry.sql. */
public final class InputText {
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private InputText() {
    }

    /** A non-blank text of at most {@code max} characters, without NUL (PostgreSQL cannot store it). */
    public static String required(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(field + " is empty: give a non-blank value");
        }
        return optional(field, value, max);
    }

    /** Like {@link #required} but null is allowed. */
    public static String optional(String field, String value, int max) {
        if (value == null) {
            return null;
        }
        if (value.length() > max) {
            throw new InvalidInputException(field + " is " + value.length()
                    + " characters long: at most " + max + " are allowed");
        }
        if (value.indexOf('\0') >= 0) {
            throw new InvalidInputException(field + " contains a NUL character: remove it");
        }
        return value;
    }

    /** A lower-case hexadecimal SHA-256, or null. */
    public static String sha256(String field, String value) {
        if (value == null) {
            return null;
        }
        if (!SHA256_HEX.matcher(value).matches()) {
            throw new InvalidInputException(field + " '" + abbreviate(value)
                    + "' is not a SHA-256: expected 64 lower-case hexadecimal digits");
        }
        return value;
    }

    static String abbreviate(String value) {
        return value.length() <= 80 ? value : value.substring(0, 77) + "...";
    }
}
