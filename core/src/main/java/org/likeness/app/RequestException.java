package org.likeness.app;

/**
 * What was asked cannot be done as asked (a dataset that is not there, an output inside the input, a scan made with
 * other models): the command line exits 2, the HTTP service answers 4xx. The message names the file and the reason.
 */
public class RequestException extends RuntimeException {
    public RequestException(String message) {
        super(message);
    }
}
