package org.likeness.registry;

/** The master key is missing, unreadable, malformed, or does not match this registry. */
public final class MasterKeyException extends RegistryException {
    public MasterKeyException(String message) {
        super(message);
    }
}
