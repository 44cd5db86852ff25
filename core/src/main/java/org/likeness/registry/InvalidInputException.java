package org.likeness.registry;

/** A value given by the user is malformed: a date, a purpose, an id, a hash. */
public final class InvalidInputException extends RegistryException {
    public InvalidInputException(String message) {
        super(message);
    }
}
