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

    /**
     * Text from users or files made safe for a terminal: control characters (C0, DEL, C1), line and paragraph
     * separators and bidirectional overrides are written as \\uXXXX, and a backslash as \\\\; everything printable
     * is kept.
     */
    public static String printable(String value) {
        if (value == null) {
            return null;
        }
        StringBuilder b = null;
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            boolean unsafe = ch < 0x20 || (ch >= 0x7f && ch < 0xa0) || ch == 0x2028 || ch == 0x2029
                    || (ch >= 0x202a && ch <= 0x202e) || (ch >= 0x2066 && ch <= 0x2069) || ch == '\\';
            if (unsafe && b == null) {
                b = new StringBuilder(value.length() + 16).append(value, 0, i);
            }
            if (b != null) {
                if (ch == '\\') {
                    b.append("\\\\");
                } else if (unsafe) {
                    b.append(String.format("\\u%04x", (int) ch));
                } else {
                    b.append(ch);
                }
            }
        }
        return b == null ? value : b.toString();
    }

    public static String abbreviate(String value) {
        return value.length() <= 80 ? value : value.substring(0, 77) + "...";
    }
}
