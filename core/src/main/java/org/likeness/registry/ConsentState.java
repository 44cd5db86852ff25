package org.likeness.registry;

/** The outcome of evaluating consent for one subject, purpose and time. Only CONSENTED allows use. */
public enum ConsentState {
    CONSENTED, NO_CONSENT, REVOKED, EXPIRED, NOT_YET_VALID, ERASED
}
