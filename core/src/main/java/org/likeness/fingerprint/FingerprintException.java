package org.likeness.fingerprint;

/** A photo that cannot be marked or released as asked (too small, wrong pixel type, unsupported format); the message says which and why. */
public class FingerprintException extends RuntimeException {
    public FingerprintException(String message) {
        super(message);
    }
}
