package org.likeness.registry;

import java.time.Instant;
import java.util.Objects;

/** A registered person. {@code erasedAt} is set once the subject's templates and key are destroyed. */
public record Subject(String id, String displayName, Instant createdAt, Instant erasedAt) {
    public static final int MAX_ID = 128;
    public static final int MAX_NAME = 512;

    public Subject {
        InputText.required("subject id", id, MAX_ID);
        InputText.optional("subject name", displayName, MAX_NAME);
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /**
     * Ids of new subjects: letters, digits, '.', '_', '@', '+' and '-', starting with a letter or digit (no spaces,
     * control characters or terminal escapes: ids are printed, logged and typed on command lines).
     */
    private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}");

    public static String checkId(String id) {
        InputText.required("subject id", id, MAX_ID);
        if (!ID.matcher(id).matches()) {
            throw new InvalidInputException("subject id '" + InputText.printable(InputText.abbreviate(id))
                    + "' may only hold letters, digits, '.', '_', '@', '+' and '-' (and starts with a letter or digit)");
        }
        return id;
    }

    public boolean erased() {
        return erasedAt != null;
    }
}
