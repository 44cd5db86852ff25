package org.likeness.registry;

/** The database could not be reached or refused an operation; the message names the database URL. */
public final class StorageException extends RegistryException {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
