package org.likeness.account;

/**
 * Who is calling: an account, its organisation and role, how it proved it (a session or an API key).
 *
 * @param subjectId the subject a {@link Role#SUBJECT} account is (null for other roles)
 * @param keyId     the API key used, or null for a session
 * @param csrfSha256 SHA-256 of the session's CSRF token (null for an API key)
 */
public record Principal(String accountId, String name, String organisation, Role role, String subjectId, String keyId,
                        String csrfSha256) {
    public boolean viaSession() {
        return keyId == null;
    }

    /** How this caller appears as the actor of log entries: {@code account:NAME} (names are checked printable). */
    public String actor() {
        return "account:" + name;
    }
}
