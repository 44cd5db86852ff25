package org.likeness.registry;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** Parses the dates users type: an ISO date (midnight UTC) or an ISO-8601 instant with offset. */
public final class InputTime {
    private InputTime() {
    }

    /** Parses {@code text} for the option or field {@code field}; null stays null. */
    public static Instant parse(String field, String text) {
        if (text == null) {
            return null;
        }
        String t = text.trim();
        try {
            if (t.length() == 10) {
                return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return OffsetDateTime.parse(t).toInstant().truncatedTo(ChronoUnit.MICROS);
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(field + " '" + InputText.abbreviate(text)
                    + "' is not a date: use YYYY-MM-DD (UTC midnight) or an ISO-8601 instant such as 2025-01-31T12:00:00Z");
        }
    }
}
