package org.likeness.account;

/** Too many sign-in attempts from one address (the service answers 429). */
public final class ThrottledException extends RuntimeException {
    private final long retryAfterSeconds;

    public ThrottledException(String message, long retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
