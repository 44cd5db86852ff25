package org.likeness.registry;

/** A record with this id already exists. */
public final class DuplicateException extends RegistryException {
    public DuplicateException(String message) {
        super(message);
    }
}
