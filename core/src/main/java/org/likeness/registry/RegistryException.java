package org.likeness.registry;

/**
 * Base of the registry's typed errors. Messages name the input and the reason, and never
 * contain a template, a key or an embedding.
 */
public abstract class RegistryException extends RuntimeException {
    protected RegistryException(String message) {
        super(message);
    }

    protected RegistryException(String message, Throwable cause) {
        super(message, cause);
    }
}
