package org.likeness.registry;

/** The registry's rows, log or log head disagree: it was edited behind the log's back, truncated or rolled back. */
public final class TamperException extends RegistryException {
    public TamperException(String message) {
        super(message);
    }
}
