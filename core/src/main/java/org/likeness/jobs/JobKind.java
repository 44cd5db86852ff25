package org.likeness.jobs;

import java.util.Locale;

/** What a job does; its word is stored and shown in the API. */
public enum JobKind {
    AUDIT, TRACE, COLLECTION_SCAN, RELEASE;

    public String word() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static JobKind parse(String word) {
        for (JobKind k : values()) {
            if (k.word().equals(word)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown job kind '" + word + "'");
    }
}
