package org.likeness.image;

/** One file could not be decoded; {@link #getMessage()} is "NAME: reason", one line. */
public class DecodeException extends Exception {
    private final String name;
    private final String reason;

    public DecodeException(String name, String reason) {
        super(name + ": " + reason);
        this.name = name;
        this.reason = reason;
    }

    public String name() {
        return name;
    }

    public String reason() {
        return reason;
    }
}
