package org.likeness.image;

/** One file could not be decoded; {@link #getMessage()} is "NAME: reason", one line. */
public class DecodeException extends Exception {
    private final String name;
    private final String reason;

    public DecodeException(String name, String reason) {
        this(name, oneLine(reason), true);
    }

    private DecodeException(String name, String reason, boolean clean) {
        super(org.likeness.files.TerminalText.escape(name) + ": " + reason);
        this.name = name;
        this.reason = reason;
    }

    /** A reason is one printable line whatever a parser put in it (bytes of the file, a library's multi-line text). */
    static String oneLine(String reason) {
        if (reason == null || reason.isBlank()) {
            return "unreadable (no reason given by the decoder)";
        }
        return reason.replaceAll("[\\p{Cntrl}&&[^\\t]]+", " ").strip();
    }

    public String name() {
        return name;
    }

    public String reason() {
        return reason;
    }
}
