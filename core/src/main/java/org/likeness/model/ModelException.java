package org.likeness.model;

/** A model cannot be fetched, verified or loaded; the message names the model and the reason. */
public class ModelException extends RuntimeException {
    public ModelException(String message) {
        super(message);
    }

    public ModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
