package org.likeness.app;

/** A use case stopped because its {@link Cancellation} was cancelled; what it wrote so far is kept. */
public final class CancelledException extends RuntimeException {
    public CancelledException(String reason) {
        super(reason);
    }
}
