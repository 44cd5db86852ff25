package org.likeness.cli;

/** A mistake in what the user asked for (exit 2); printed as one line, never with a stack trace. */
public class UserException extends LikenessException {
    public UserException(String message) {
        super(ExitCodes.ERROR, message);
    }
}
