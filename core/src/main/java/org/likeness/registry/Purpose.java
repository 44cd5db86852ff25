package org.likeness.registry;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The controlled vocabulary of purposes a consent can be given for. */
public enum Purpose {
    TRAINING, EVALUATION, PUBLICATION, IDENTIFICATION;

    /** The lower-case word stored in the database and shown to users. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a purpose word; an unknown word is an {@link InvalidInputException} listing the vocabulary. */
    public static Purpose parse(String word) {
        if (word != null) {
            for (Purpose p : values()) {
                if (p.word().equals(word.trim().toLowerCase(Locale.ROOT))) {
                    return p;
                }
            }
        }
        throw new InvalidInputException("unknown purpose '" + word + "': use one of "
                + Arrays.stream(values()).map(Purpose::word).collect(Collectors.joining(", ")));
    }
}
