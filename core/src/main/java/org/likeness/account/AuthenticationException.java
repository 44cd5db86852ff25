package org.likeness.account;

/** Credentials missing, wrong, expired or revoked (the service answers 401 with this message). */
public final class AuthenticationException extends RuntimeException {
    public AuthenticationException(String message) {
        super(message);
    }
}
