package org.likeness.account;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.likeness.registry.AccountStore;
import org.likeness.registry.InputText;
import org.likeness.registry.InvalidInputException;
import org.likeness.registry.NotFoundException;
import org.likeness.registry.Registry;

/**
 * Accounts, sign-in, sessions and API keys over the registry's {@link AccountStore}. Thread-safe.
 */
public final class Accounts {
    /** OWASP Authentication Cheat Sheet, "Account Lockout": lock after a few failures, for a while, not forever. */
    public static final int MAX_FAILURES = 5;
    public static final Duration LOCKOUT = Duration.ofMinutes(15);
    /**
     * The least time a refused sign-in takes: longer than the Argon2id hash plus the failure's logged write (the hash
     * measured 101-188 ms on the 2-core machine under load average 17, docs/SECURITY.md; the write a few ms), so that a
     * wrong password for a known name and any password for an unknown name answer after the same time.
     */
    public static final Duration REFUSAL_FLOOR = Duration.ofMillis(500);
    /** Absolute session lifetime (OWASP Session Management Cheat Sheet: 4-8 hours for an application used all day). */
    public static final Duration SESSION_LIFETIME = Duration.ofHours(8);
    /** API keys: {@code lk_ID_SECRET}; the id is public (listed, revoked by it), the secret is shown once. */
    public static final String KEY_PREFIX = "lk_";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}");
    private static final Pattern KEY = Pattern.compile("lk_([a-z0-9]{16})_([A-Za-z0-9_-]{43})");
    private static final String REFUSED = "sign-in refused: wrong name or password, or the account is locked ("
            + MAX_FAILURES + " failures in a row lock it for " + LOCKOUT.toMinutes() + " minutes)";

    private final Registry registry;
    private final PasswordHasher hasher = new PasswordHasher();
    private final LoginThrottle throttle = new LoginThrottle();
    /** Sign-in attempts on one account run one after another (striped by account id; different accounts rarely wait). */
    private final Object[] signInLocks = java.util.stream.Stream.generate(Object::new).limit(64).toArray();

    /** A sign-in's result: the tokens to hand the browser (never stored). */
    public record Login(Principal principal, String sessionToken, String csrfToken, Instant expiresAt) {
    }

    /** A new API key: {@code secret} is shown once. */
    public record IssuedKey(AccountStore.ApiKey key, String secret) {
    }

    public Accounts(Registry registry) {
        this.registry = registry;
    }

    private AccountStore store(String actor) {
        return registry.as(actor).accounts();
    }

    public static String checkName(String name) {
        InputText.required("account name", name, AccountStore.MAX_NAME);
        if (!NAME.matcher(name).matches()) {
            throw new InvalidInputException("account name '" + InputText.printable(InputText.abbreviate(name))
                    + "' may only hold letters, digits, '.', '_', '@', '+' and '-' (and starts with a letter or digit)");
        }
        return name;
    }

    /** Creates an account; a {@link Role#SUBJECT} account must name its subject (in the same organisation). */
    public AccountStore.Account create(String actor, String name, char[] password, Role role, String organisation,
                                       String subjectId) {
        checkName(name);
        if ((role == Role.SUBJECT) != (subjectId != null)) {
            throw new InvalidInputException(role == Role.SUBJECT ? "a subject account must name its subject"
                    : "only a subject account names a subject");
        }
        String hash = password == null ? null : hasher.hash(password);
        return store(actor).addAccount(UUID.randomUUID().toString(), name, organisation, role.word(), subjectId, hash);
    }

    public boolean anyAdmin() {
        return registry.accounts().anyAdmin();
    }

    /**
     * Signs in: a new session (a new id every time, so a session id planted before sign-in is worthless). Wrong
     * passwords count towards the lockout; every refusal has the same message.
     */
    public Login login(String name, char[] password, String clientAddress) {
        throttle.attempt(clientAddress, System.currentTimeMillis());
        long start = System.nanoTime();
        try {
            return checkPassword(name, password);
        } catch (AuthenticationException refused) {
            // a known name's refusal also writes the failure (a few ms more than an unknown name's): every refusal is
            // answered at the same time after it began, so the time does not say whether the name exists
            long left = REFUSAL_FLOOR.toNanos() - (System.nanoTime() - start);
            if (left > 0) {
                try {
                    Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            throw refused;
        }
    }

    private Login checkPassword(String name, char[] password) {
        AccountStore.Account a = name == null || name.length() > AccountStore.MAX_NAME ? null : registry.accounts().accountByName(name);
        if (a == null || a.passwordHash() == null) {
            hasher.burn(password == null ? new char[0] : password);
            throw new AuthenticationException(REFUSED);
        }
        // one attempt at a time per account, reading its state inside: concurrent guesses all read "not locked" before
        // any failure was written and were each verified, so a burst from many addresses passed the lockout
        synchronized (signInLocks[Math.floorMod(a.id().hashCode(), signInLocks.length)]) {
            a = registry.accounts().account(a.id());
            if (a.lockedUntil() != null && a.lockedUntil().isAfter(Instant.now())) {
                hasher.burn(password == null ? new char[0] : password);
                throw new AuthenticationException(REFUSED);
            }
            if (password == null || !hasher.verify(password, a.passwordHash())) {
                store("account:" + a.name()).loginFailed(a.id(), MAX_FAILURES, LOCKOUT, "sign-in");
                throw new AuthenticationException(REFUSED);
            }
        }
        String session = Secrets.token();
        String csrf = Secrets.token();
        Instant expires = Instant.now().plus(SESSION_LIFETIME);
        store("account:" + a.name()).loginSucceeded(a.id(), a.role(), Secrets.sha256(session), Secrets.sha256(csrf), expires);
        return new Login(principal(a, null, Secrets.sha256(csrf)), session, csrf, expires);
    }

    /** The caller of a session token, or an {@link AuthenticationException}. */
    public Principal session(String token) {
        if (token == null || token.length() > 128) {
            throw new AuthenticationException("not signed in: no valid session");
        }
        AccountStore.Session s = registry.accounts().session(Secrets.sha256(token));
        if (s == null) {
            throw new AuthenticationException("not signed in: the session expired or was ended; sign in again");
        }
        AccountStore.Account a = registry.accounts().account(s.accountId());
        if (a == null) {
            throw new AuthenticationException("not signed in: the session's account no longer exists");
        }
        return principal(a, null, s.csrfSha256());
    }

    public void logout(String sessionToken, String actor) {
        if (sessionToken != null && sessionToken.length() <= 128) {
            store(actor).endSession(Secrets.sha256(sessionToken));
        }
    }

    /** The caller of an API key ({@code lk_ID_SECRET}); a revoked key is refused at once (every request reads the row). */
    public Principal key(String presented) {
        var m = presented == null ? null : KEY.matcher(presented);
        if (m == null || !m.matches()) {
            throw new AuthenticationException("API key is malformed: expected lk_ID_SECRET as issued");
        }
        AccountStore.ApiKey k = registry.accounts().key(m.group(1));
        if (k == null || !Secrets.same(k.secretSha256(), Secrets.sha256(m.group(2)))) {
            throw new AuthenticationException("API key is not valid");
        }
        if (k.revoked()) {
            throw new AuthenticationException("API key " + k.id() + " was revoked at " + k.revokedAt());
        }
        AccountStore.Account a = registry.accounts().account(k.accountId());
        if (a == null) {
            throw new AuthenticationException("API key is not valid");
        }
        return new Principal(a.id(), a.name(), a.organisation(), Role.parse(k.role()), a.subjectId(), k.id(), null);
    }

    /** Issues a key that acts as the account with its role. */
    public IssuedKey issueKey(String actor, String accountId, String label) {
        AccountStore.Account a = registry.accounts().account(accountId);
        if (a == null) {
            throw new NotFoundException("account " + accountId + " does not exist");
        }
        String id = Secrets.token(12).toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]", "0").substring(0, 16);
        String secret = Secrets.token();
        AccountStore.ApiKey k = store(actor).addKey(id, accountId, a.role(), label, Secrets.sha256(secret));
        return new IssuedKey(k, KEY_PREFIX + id + "_" + secret);
    }

    public AccountStore.ApiKey revokeKey(String actor, String keyId) {
        return store(actor).revokeKey(keyId);
    }

    public AccountStore.ApiKey findKey(String keyId) {
        return registry.accounts().key(keyId);
    }

    public AccountStore.Account account(String id) {
        return registry.accounts().account(id);
    }

    public List<AccountStore.Account> accounts(String organisation, String after, int limit) {
        return registry.accounts().accounts(organisation, after, limit);
    }

    public List<AccountStore.ApiKey> keys(String accountId, String after, int limit) {
        return registry.accounts().keys(accountId, after, limit);
    }

    private static Principal principal(AccountStore.Account a, String keyId, String csrfSha) {
        return new Principal(a.id(), a.name(), a.organisation(), Role.parse(a.role()), a.subjectId(), keyId, csrfSha);
    }
}
