package org.likeness.web;

import org.likeness.account.Role;
import org.likeness.account.Secrets;
import org.likeness.registry.AccountStore;
import org.likeness.registry.InvalidInputException;
import org.likeness.registry.LogEntry;
import org.likeness.registry.NotFoundException;
import org.likeness.registry.Registry;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A data holder's invitation for one person to their portal: a link with a random token that opens a session for the
 * subject's own account (role {@code subject}, created on the first invitation, with no password) once, before it
 * expires. The registry keeps only the token's SHA-256, in the hash-chained log: {@code invitation.created} (subject,
 * account, token hash, expiry, who invited) and {@code invitation.accepted} (token hash); an invitation is spent when
 * an acceptance of its hash is in the log, so both facts are tamper-evident and {@code log verify} covers them.
 */
public final class Invitations {
    /** How long a link works: long enough for a letter or an email to be read, short enough to limit a leaked link. */
    public static final Duration LIFETIME = Duration.ofDays(7);
    /** A portal session opened by an invitation lasts as long as a signed-in one. */
    public static final Duration SESSION_LIFETIME = org.likeness.account.Accounts.SESSION_LIFETIME;
    static final String CREATED = "invitation.created", ACCEPTED = "invitation.accepted";
    /** Log entries read per page while looking an invitation up. */
    private static final int LOG_PAGE = 1000;

    /** A new invitation: the token is shown once (in the link) and never stored. */
    public record Invitation(String token, String subject, String account, Instant expiresAt) {
        public String path() {
            return "/invite/" + token;
        }
    }

    /** An accepted invitation: the session and CSRF tokens to set as cookies. */
    public record Accepted(String account, String subject, String sessionToken, String csrfToken, Instant expiresAt) {
    }

    private final Registry registry;

    public Invitations(Registry registry) {
        this.registry = registry;
    }

    /** The account name of a subject's portal account. */
    public static String accountName(String subjectId) {
        return "subject." + subjectId;
    }

    /**
     * Invites the person enrolled as {@code subjectId} (of {@code organisation}); their portal account is made on the
     * first invitation.
     */
    public synchronized Invitation create(String actor, String organisation, String subjectId) {
        Registry r = registry.as(actor);
        // another organisation's subject reads as absent (as everywhere in the service: 404, not 403)
        if (!organisation.equals(r.subjectOrganisation(subjectId))) {
            throw new NotFoundException("subject '" + subjectId + "' does not exist");
        }
        AccountStore accounts = r.accounts();
        String name = accountName(subjectId);
        AccountStore.Account a = accounts.accountByName(name);
        if (a == null) {
            a = accounts.addAccount(java.util.UUID.randomUUID().toString(), name, organisation, Role.SUBJECT.word(), subjectId, null);
        } else if (!subjectId.equals(a.subjectId())) {
            throw new InvalidInputException("account '" + name + "' exists and is not " + subjectId + "'s portal account");
        }
        String token = Secrets.token();
        Instant expires = Instant.now().plus(LIFETIME);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("subject", subjectId);
        p.put("account", a.id());
        p.put("token_sha256", Secrets.sha256(token));
        p.put("expires_at", expires.toString());
        r.record(CREATED, p);
        return new Invitation(token, subjectId, a.id(), expires);
    }

    /**
     * Opens a portal session for the invitation with this token; refused (one message for every case, so a guesser
     * learns nothing) when it is unknown, spent or expired.
     */
    public synchronized Accepted accept(String token) {
        if (token == null || token.length() > 128) {
            throw new InvalidInvitation();
        }
        String hash = Secrets.sha256(token);
        Map<String, Object> created = null;
        boolean spent = false;
        long from = 1;
        while (true) {
            List<LogEntry> page = registry.log(from, LOG_PAGE);
            for (LogEntry e : page) {
                if (e.action().equals(CREATED) || e.action().equals(ACCEPTED)) {
                    Map<String, Object> f = payload(e);
                    if (hash.equals(f.get("token_sha256"))) {
                        if (e.action().equals(CREATED)) {
                            created = f;
                        } else {
                            spent = true;
                        }
                    }
                }
                from = e.seq() + 1;
            }
            if (page.size() < LOG_PAGE) {
                break;
            }
        }
        if (created == null || spent || Instant.parse(String.valueOf(created.get("expires_at"))).isBefore(Instant.now())) {
            throw new InvalidInvitation();
        }
        String accountId = String.valueOf(created.get("account"));
        AccountStore.Account a = registry.accounts().account(accountId);
        if (a == null || !Role.SUBJECT.word().equals(a.role())) {
            throw new InvalidInvitation();
        }
        Registry r = registry.as("account:" + a.name());
        r.record(ACCEPTED, Map.of("subject", String.valueOf(a.subjectId()), "account", accountId, "token_sha256", hash));
        String session = Secrets.token();
        String csrf = Secrets.token();
        Instant expires = Instant.now().plus(SESSION_LIFETIME);
        r.accounts().loginSucceeded(accountId, a.role(), Secrets.sha256(session), Secrets.sha256(csrf), expires);
        return new Accepted(accountId, a.subjectId(), session, csrf, expires);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> payload(LogEntry e) {
        try {
            return org.likeness.json.Json.MAPPER.readValue(e.payload(), Map.class);
        } catch (java.io.IOException malformed) {
            return Map.of();
        }
    }

    /** An invitation that cannot be used: unknown, spent or expired (the person is told to ask for a new one). */
    public static final class InvalidInvitation extends RuntimeException {
        InvalidInvitation() {
            super("this invitation link is not valid: it was used already, it expired, or it was mistyped");
        }
    }
}
