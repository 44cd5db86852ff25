package org.likeness.cli;

/** A mistake in what the user asked for; printed as one line, never with a stack trace. */
public class UserException extends RuntimeException {
    public UserException(String message) {
        super(message);
    }
}
