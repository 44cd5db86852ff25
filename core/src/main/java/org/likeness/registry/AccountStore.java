package org.likeness.registry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rows of organisations, accounts, sessions, API keys and allowed server paths. Storage only: how passwords are
 * hashed, when an account locks and who may do what is decided by {@code org.likeness.account}. Every change that
 * grants or removes a power is appended to the hash-chained log in the same transaction, and `log verify` compares
 * the rows with it ({@link StateCheck}).
 */
public final class AccountStore {
    public static final Set<String> ROLES = Set.of("admin", "holder", "auditor", "subject", "screener");
    public static final int MAX_NAME = 128;

    public record Organisation(String id, String name, Instant createdAt) {
    }

    /** An account; {@code passwordHash} is an Argon2id PHC string or null (keys only). */
    public record Account(String id, String name, String organisation, String role, String subjectId, String passwordHash,
                          int failedLogins, Instant lockedUntil, Instant createdAt) {
    }

    public record Session(String accountId, String csrfSha256, Instant createdAt, Instant expiresAt) {
    }

    public record ApiKey(String id, String accountId, String role, String label, String secretSha256, Instant createdAt,
                         Instant revokedAt) {
        public boolean revoked() {
            return revokedAt != null;
        }
    }

    public record AllowedPath(long id, String organisation, String path, Instant createdAt) {
    }

    private final Database db;
    private final String actor;

    AccountStore(Database db, String actor) {
        this.db = db;
        this.actor = actor;
    }

    // ---- organisations -------------------------------------------------------------------------------------------

    public Organisation addOrganisation(String id, String name) {
        Organisations.checkId(id);
        InputText.required("organisation name", name, Organisations.MAX_NAME);
        return db.write(actor, (c, log) -> {
            if (organisation(c, id) != null) {
                throw new DuplicateException("organisation '" + id + "' already exists");
            }
            Instant now = Rows.now();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO organisation (id, name, created_at) VALUES (?,?,?)")) {
                ps.setString(1, id);
                ps.setString(2, name);
                Rows.setTime(ps, 3, now);
                ps.executeUpdate();
            }
            log.append("organisation.add", Map.of("organisation", id));
            return new Organisation(id, name, now);
        });
    }

    public Organisation organisation(String id) {
        return db.read(c -> organisation(c, id));
    }

    public List<Organisation> organisations(String after, int limit) {
        return db.read(c -> {
            List<Organisation> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM organisation WHERE id > ? ORDER BY id FETCH FIRST ? ROWS ONLY")) {
                ps.setString(1, after == null ? "" : after);
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Organisation(rs.getString("id"), rs.getString("name"), Rows.time(rs, "created_at")));
                    }
                }
            }
            return out;
        });
    }

    private static Organisation organisation(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM organisation WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Organisation(rs.getString("id"), rs.getString("name"), Rows.time(rs, "created_at")) : null;
            }
        }
    }

    // ---- accounts ------------------------------------------------------------------------------------------------

    /** Adds an account; logged as {@code account.add} with its id, organisation and role (never the name or hash). */
    public Account addAccount(String id, String name, String organisation, String role, String subjectId, String passwordHash) {
        InputText.required("account id", id, 64);
        InputText.required("account name", name, MAX_NAME);
        checkRole(role);
        return db.write(actor, (c, log) -> {
            Organisations.require(c, organisation);
            if (accountByName(c, name) != null) {
                throw new DuplicateException("account '" + name + "' already exists");
            }
            if (subjectId != null) {
                Registry.requireLive(c, subjectId);
                if (!organisation.equals(Organisations.ofSubject(c, subjectId))) {
                    throw new NotFoundException("subject '" + subjectId + "' does not exist in organisation " + organisation);
                }
            }
            Instant now = Rows.now();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO account (id, name, organisation_id, role, subject_id,"
                    + " password_hash, failed_logins, created_at) VALUES (?,?,?,?,?,?,0,?)")) {
                ps.setString(1, id);
                ps.setString(2, name);
                ps.setString(3, organisation);
                ps.setString(4, role);
                ps.setString(5, subjectId);
                ps.setString(6, passwordHash);
                Rows.setTime(ps, 7, now);
                ps.executeUpdate();
            }
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("account", id);
            payload.put("organisation", organisation);
            payload.put("role", role);
            if (subjectId != null) {
                payload.put("subject", subjectId);
            }
            log.append("account.add", payload);
            return new Account(id, name, organisation, role, subjectId, passwordHash, 0, null, now);
        });
    }

    public Account account(String id) {
        return db.read(c -> one(c, "SELECT * FROM account WHERE id = ?", id));
    }

    public Account accountByName(String name) {
        return db.read(c -> accountByName(c, name));
    }

    /** One page of accounts in id order (of one organisation, or all when {@code organisation} is null). */
    public List<Account> accounts(String organisation, String after, int limit) {
        return db.read(c -> {
            List<Account> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM account WHERE id > ?"
                    + (organisation == null ? "" : " AND organisation_id = ?") + " ORDER BY id FETCH FIRST ? ROWS ONLY")) {
                int i = 1;
                ps.setString(i++, after == null ? "" : after);
                if (organisation != null) {
                    ps.setString(i++, organisation);
                }
                ps.setInt(i, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(account(rs));
                    }
                }
            }
            return out;
        });
    }

    public boolean anyAdmin() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM account WHERE role = 'admin' FETCH FIRST 1 ROWS ONLY");
                 ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        });
    }

    /**
     * Counts a failed sign-in; from {@code maxFailures} on, locks the account until {@code now + lockFor}. Logged as
     * {@code account.login_failed}, and {@code account.lockout} when it locks. Returns the account after the change.
     */
    public Account loginFailed(String accountId, int maxFailures, java.time.Duration lockFor, String purpose) {
        return db.write(actor, (c, log) -> {
            Account a = one(c, "SELECT * FROM account WHERE id = ? FOR UPDATE", accountId);
            if (a == null) {
                throw new NotFoundException("account " + accountId + " does not exist");
            }
            int failures = a.failedLogins() + 1;
            Instant lockedUntil = a.lockedUntil();
            boolean locks = failures >= maxFailures;
            if (locks) {
                lockedUntil = Rows.now().plus(lockFor);
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE account SET failed_logins = ?, locked_until = ? WHERE id = ?")) {
                ps.setInt(1, locks ? 0 : failures);
                Rows.setTime(ps, 2, lockedUntil);
                ps.setString(3, accountId);
                ps.executeUpdate();
            }
            log.append("account.login_failed", Map.of("account", accountId, "role", a.role(), "failures", failures,
                    "purpose", purpose));
            if (locks) {
                log.append("account.lockout", Map.of("account", accountId, "role", a.role(), "until", lockedUntil.toString()));
            }
            return new Account(a.id(), a.name(), a.organisation(), a.role(), a.subjectId(), a.passwordHash(),
                    locks ? 0 : failures, lockedUntil, a.createdAt());
        });
    }

    /** A successful sign-in: clears the failure count and opens a session (only hashes are stored); logged. */
    public void loginSucceeded(String accountId, String role, String sessionSha256, String csrfSha256, Instant expiresAt) {
        db.write(actor, (c, log) -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE account SET failed_logins = 0, locked_until = NULL WHERE id = ?")) {
                ps.setString(1, accountId);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO account_session (id_sha256, account_id, csrf_sha256,"
                    + " created_at, expires_at) VALUES (?,?,?,?,?)")) {
                ps.setString(1, sessionSha256);
                ps.setString(2, accountId);
                ps.setString(3, csrfSha256);
                Rows.setTime(ps, 4, Rows.now());
                Rows.setTime(ps, 5, expiresAt);
                ps.executeUpdate();
            }
            log.append("account.login", Map.of("account", accountId, "role", role));
            return null;
        });
    }

    /** The session with this id hash, or null when there is none or it expired. */
    public Session session(String sessionSha256) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM account_session WHERE id_sha256 = ?")) {
                ps.setString(1, sessionSha256);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    Session s = new Session(rs.getString("account_id"), rs.getString("csrf_sha256"), Rows.time(rs, "created_at"),
                            Rows.time(rs, "expires_at"));
                    return s.expiresAt().isAfter(Instant.now()) ? s : null;
                }
            }
        });
    }

    /** Ends a session (sign-out); also removes every expired session. */
    public void endSession(String sessionSha256) {
        db.write(actor, (c, log) -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM account_session WHERE id_sha256 = ? OR expires_at < ?")) {
                ps.setString(1, sessionSha256);
                Rows.setTime(ps, 2, Rows.now());
                ps.executeUpdate();
            }
            return null;
        });
    }

    // ---- API keys ------------------------------------------------------------------------------------------------

    /** Stores a key's hash; logged as {@code key.issue} with the key id, its account and role. */
    public ApiKey addKey(String id, String accountId, String role, String label, String secretSha256) {
        checkRole(role);
        InputText.optional("key label", label, MAX_NAME);
        return db.write(actor, (c, log) -> {
            Account a = one(c, "SELECT * FROM account WHERE id = ?", accountId);
            if (a == null) {
                throw new NotFoundException("account " + accountId + " does not exist");
            }
            Instant now = Rows.now();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO api_key (id, account_id, role, label, secret_sha256,"
                    + " created_at) VALUES (?,?,?,?,?,?)")) {
                ps.setString(1, id);
                ps.setString(2, accountId);
                ps.setString(3, role);
                ps.setString(4, label);
                ps.setString(5, secretSha256);
                Rows.setTime(ps, 6, now);
                ps.executeUpdate();
            }
            log.append("key.issue", Map.of("key", id, "account", accountId, "role", role));
            return new ApiKey(id, accountId, role, label, secretSha256, now, null);
        });
    }

    public ApiKey key(String id) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM api_key WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? key(rs) : null;
                }
            }
        });
    }

    /** One page of keys in id order (of one account, or all when {@code accountId} is null). */
    public List<ApiKey> keys(String accountId, String after, int limit) {
        return db.read(c -> {
            List<ApiKey> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM api_key WHERE id > ?"
                    + (accountId == null ? "" : " AND account_id = ?") + " ORDER BY id FETCH FIRST ? ROWS ONLY")) {
                int i = 1;
                ps.setString(i++, after == null ? "" : after);
                if (accountId != null) {
                    ps.setString(i++, accountId);
                }
                ps.setInt(i, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(key(rs));
                    }
                }
            }
            return out;
        });
    }

    /** Revokes a key from now on; logged as {@code key.revoke}. A key already revoked is left as it was. */
    public ApiKey revokeKey(String id) {
        return db.write(actor, (c, log) -> {
            ApiKey k;
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM api_key WHERE id = ? FOR UPDATE")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new NotFoundException("API key " + id + " does not exist");
                    }
                    k = key(rs);
                }
            }
            if (k.revoked()) {
                return k;
            }
            Instant now = Rows.now();
            try (PreparedStatement ps = c.prepareStatement("UPDATE api_key SET revoked_at = ? WHERE id = ?")) {
                Rows.setTime(ps, 1, now);
                ps.setString(2, id);
                ps.executeUpdate();
            }
            log.append("key.revoke", Map.of("key", id, "account", k.accountId(), "revoked_at", now.toString()));
            return new ApiKey(k.id(), k.accountId(), k.role(), k.label(), k.secretSha256(), k.createdAt(), now);
        });
    }

    // ---- allowed server paths ------------------------------------------------------------------------------------

    /** Allows an organisation to name a server folder; logged as {@code allowed_path.add}. */
    public AllowedPath addAllowedPath(String organisation, String path) {
        InputText.required("path", path, 4096);
        return db.write(actor, (c, log) -> {
            Organisations.require(c, organisation);
            Instant now = Rows.now();
            long id;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO allowed_path (organisation_id, path, created_at)"
                    + " VALUES (?,?,?)", new String[] {"id"})) {
                ps.setString(1, organisation);
                ps.setString(2, path);
                Rows.setTime(ps, 3, now);
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getLong(1);
                }
            } catch (SQLException e) {
                if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
                    throw new DuplicateException("path " + path + " is already allowed for organisation " + organisation);
                }
                throw e;
            }
            log.append("allowed_path.add", Map.of("allowed_path", id, "organisation", organisation, "path", path));
            return new AllowedPath(id, organisation, path, now);
        });
    }

    /** Removes an allowed path; logged as {@code allowed_path.remove}. */
    public void removeAllowedPath(long id) {
        db.write(actor, (c, log) -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM allowed_path WHERE id = ?")) {
                ps.setLong(1, id);
                if (ps.executeUpdate() == 0) {
                    throw new NotFoundException("allowed path " + id + " does not exist");
                }
            }
            log.append("allowed_path.remove", Map.of("allowed_path", id));
            return null;
        });
    }

    /** The paths allowed to one organisation, or to all when {@code organisation} is null, in id order. */
    public List<AllowedPath> allowedPaths(String organisation) {
        return db.read(c -> {
            List<AllowedPath> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM allowed_path"
                    + (organisation == null ? "" : " WHERE organisation_id = ?") + " ORDER BY id")) {
                if (organisation != null) {
                    ps.setString(1, organisation);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new AllowedPath(rs.getLong("id"), rs.getString("organisation_id"), rs.getString("path"),
                                Rows.time(rs, "created_at")));
                    }
                }
            }
            return out;
        });
    }

    // ---- rows ----------------------------------------------------------------------------------------------------

    static void checkRole(String role) {
        if (role == null || !ROLES.contains(role)) {
            throw new InvalidInputException("role '" + InputText.printable(String.valueOf(role))
                    + "' is not one of admin, holder, auditor, subject, screener");
        }
    }

    private static Account accountByName(Connection c, String name) throws SQLException {
        return one(c, "SELECT * FROM account WHERE name = ?", name);
    }

    private static Account one(Connection c, String sql, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? account(rs) : null;
            }
        }
    }

    private static Account account(ResultSet rs) throws SQLException {
        return new Account(rs.getString("id"), rs.getString("name"), rs.getString("organisation_id"), rs.getString("role"),
                rs.getString("subject_id"), rs.getString("password_hash"), rs.getInt("failed_logins"),
                Rows.time(rs, "locked_until"), Rows.time(rs, "created_at"));
    }

    private static ApiKey key(ResultSet rs) throws SQLException {
        return new ApiKey(rs.getString("id"), rs.getString("account_id"), rs.getString("role"), rs.getString("label"),
                rs.getString("secret_sha256"), Rows.time(rs, "created_at"), Rows.time(rs, "revoked_at"));
    }
}
