package org.likeness.jobs;

import java.util.Locale;

/** queued → running → succeeded | failed | cancelled; a queued job can be cancelled before it runs. */
public enum JobState {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean finished() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

    public static JobState parse(String word) {
        return valueOf(word.toUpperCase(Locale.ROOT));
    }
}
