package org.likeness.hashlist;

/** A list refused or an export that cannot be made; the message is one line saying why (the caller adds the file). */
public final class HashListException extends Exception {
    public HashListException(String reason) {
        super(reason);
    }
}
