package org.likeness.registry;

/** A subject, consent or other record named by the user does not exist. */
public final class NotFoundException extends RegistryException {
    public NotFoundException(String message) {
        super(message);
    }
}
