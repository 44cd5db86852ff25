package org.likeness.account;

import java.util.Locale;

/** The roles of the HTTP service (docs/SECURITY.md, "Roles"). */
public enum Role {
    /** Accounts, keys, organisations, allowed server paths; no personal data. */
    ADMIN,
    /** A data holder's staff: subjects, consents, collections, audits, traces of its own organisation. */
    HOLDER,
    /** Read-only: audits, the log, reports. */
    AUDITOR,
    /** A person: only their own subject record and consents. */
    SUBJECT,
    /** A marketplace's key: the screening endpoint only. */
    SCREENER;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String word) {
        if (word != null) {
            for (Role r : values()) {
                if (r.word().equals(word)) {
                    return r;
                }
            }
        }
        throw new org.likeness.registry.InvalidInputException("role '" + org.likeness.registry.InputText.printable(
                String.valueOf(word)) + "' is not one of admin, holder, auditor, subject, screener");
    }
}
