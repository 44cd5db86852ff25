package org.likeness.registry;

import org.likeness.files.PrivateFiles;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The registry's connections to one database (H2 or PostgreSQL), a small pool of idle ones, and the
 * transaction shape every change uses: lock the log head, change, append log entries, commit.
 */
final class Database implements AutoCloseable {
    /** Idle connections kept open; more concurrent callers open and close their own. */
    private static final int MAX_IDLE = 8;
    /**
     * How long an H2 open waits while another process is opening the same file: in mixed mode (AUTO_SERVER) the first
     * process publishes its server in the lock file a moment after it has locked it, and a second opener that looks in
     * between is told "Database may be already in use" (found by TwoProcessTest).
     */
    private static final long IN_USE_WAIT_MS = 30_000;
    /** H2's "Database may be already in use" error code. */
    private static final int H2_DATABASE_ALREADY_OPEN = 90020;
    /** H2's "Error opening database", and the text of the one among them that a wait cures (found with 4 CLI processes). */
    private static final int H2_ERROR_OPENING = 8000;
    private static final String H2_LOCK_FILE_RECENTLY_MODIFIED = "Lock file recently modified";
    /** H2's "Connection is broken": the serving process closed the file while we connected; the next try takes over. */
    private static final int H2_CONNECTION_BROKEN = 90067;
    private static final String IN_USE_ADVICE = "another process holds the H2 file and does not serve it to others"
            + " (a Likeness older than mixed mode, or a tool that opened it without AUTO_SERVER=TRUE): close it and retry";

    /** Attempts of one write transaction that hit a deadlock, serialisation failure or lock timeout. */
    private static final int MAX_ATTEMPTS = 20;

    private final RegistryLocation location;
    private final Deque<Connection> idle = new ArrayDeque<>();
    private boolean closed;
    /** H2 only: see {@link #open}. */
    private Connection holder;
    /** Told of every commit that appended to the log (the head file outside the database follows it). */
    private volatile CommitListener listener;

    interface CommitListener {
        void committed(long seq, String hash);
    }

    private Database(RegistryLocation location) {
        this.location = location;
    }

    /** Opens the database and applies pending Flyway migrations. */
    static Database open(RegistryLocation location) {
        return open(location, null);
    }

    /**
     * The H2 password of a registry: derived from the master key (HMAC, see TemplateCipher.mac), so that the loopback
     * server of mixed mode serves the file only to holders of the key. Used when no password is configured.
     */
    static String h2Password(MasterKey key) {
        return new TemplateCipher(key).mac("h2-password", "v1");
    }

    /**
     * Opens the database; for an H2 file without a configured password, with the password derived from the key. A
     * registry made before that (empty password) gets the derived password set on first open with the key.
     */
    static Database open(RegistryLocation location, MasterKey key) {
        Connection opened = null;
        if (key != null && location.h2File() != null && location.password().isEmpty()) {
            RegistryLocation derived = new RegistryLocation(location.jdbcUrl(), location.user(), h2Password(key), location.home());
            opened = adoptPassword(location, derived, key.origin());
            location = derived;
        }
        Database db = new Database(location);
        java.nio.file.Path h2 = location.h2File();
        if (h2 != null) {
            try {
                PrivateFiles.createDirectories(h2.getParent());
            } catch (java.io.IOException e) {
                throw new StorageException("cannot create the registry folder " + h2.getParent() + ": " + e.getMessage(), e);
            }
        }
        if (h2 != null) {
            // one connection held for the registry's lifetime keeps the file open (and served to other processes) in
            // this process; without it every pool gap would close the database and stop its server under the others
            db.holder = opened != null ? opened : db.borrow();
        }
        if (db.schemaCurrent()) {
            db.restrictFiles();
            return db;
        }
        long deadline = System.nanoTime() + IN_USE_WAIT_MS * 1_000_000L;
        for (int attempt = 1; ; attempt++) {
            try {
                Flyway.configure()
                        .dataSource(location.connectUrl(), location.user(), location.password())
                        .locations("classpath:db/migration")
                        .load()
                        .migrate();
                break;
            } catch (FlywayException e) {
                if (inUse(e) && System.nanoTime() < deadline) {
                    pause(attempt);
                    continue;
                }
                throw new StorageException("cannot migrate the registry database " + location.jdbcUrl() + ": "
                        + (inUse(e) ? IN_USE_ADVICE : firstLine(e.getMessage())), e);
            }
        }
        db.restrictFiles();
        return db;
    }

    /**
     * The newest migration under {@code db/migration} ({@code V4__…}: V3 the accounts of the HTTP service, V4 its
     * jobs); {@code DatabaseSchemaTest} fails when a migration is added without raising it.
     */
    static final int SCHEMA_VERSION = 4;

    /**
     * True when Flyway's history says every migration up to {@link #SCHEMA_VERSION} was applied and none failed: the
     * open then skips Flyway, whose class loading and classpath scan were most of a registry command's start-up
     * (docs/BENCHMARKS.md, "Start-up"). A missing history table, an older schema or a failed row runs Flyway as before.
     */
    boolean schemaCurrent() {
        Connection c = borrow();
        boolean healthy = false;
        try (java.sql.Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT MAX(CAST(\"version\" AS INT)), MIN(CASE WHEN \"success\" THEN 1 ELSE 0 END)"
                     + " FROM \"flyway_schema_history\" WHERE \"version\" IS NOT NULL")) {
            healthy = true;
            return rs.next() && rs.getInt(1) == SCHEMA_VERSION && rs.getInt(2) == 1;
        } catch (SQLException e) {
            return false; // no history yet (a new registry) or not readable: Flyway decides
        } finally {
            giveBack(c, healthy);
        }
    }

    /** H2's "Wrong user name or password". */
    private static final int H2_WRONG_PASSWORD = 28000;

    /** Sets the derived password on an existing H2 registry that still has an empty one. */
    private static Connection adoptPassword(RegistryLocation old, RegistryLocation derived, String keyOrigin) {
        java.nio.file.Path h2 = old.h2File();
        if (!java.nio.file.Files.exists(h2.resolveSibling(h2.getFileName() + ".mv.db"))) {
            return null; // a new file is created with the derived password
        }
        try {
            // the usual case: the file already has the derived password, and this connection becomes the holder
            return DriverManager.getConnection(derived.connectUrl(), derived.user(), derived.password());
        } catch (SQLException e) {
            if (e.getErrorCode() != H2_WRONG_PASSWORD) {
                return null; // reported by the open that follows
            }
        }
        try (Connection c = DriverManager.getConnection(old.connectUrl(), old.user(), "");
             java.sql.Statement st = c.createStatement()) {
            st.execute("SET PASSWORD '" + derived.password() + "'"); // hex: nothing to escape
        } catch (SQLException e) {
            if (e.getErrorCode() == H2_WRONG_PASSWORD) {
                // neither the empty password nor the one derived from this key: the file belongs to another key
                throw new MasterKeyException("master key does not match this registry (key from " + keyOrigin
                        + "): use the key created by `registry init` for this database");
            }
        }
        return null;
    }

    /** H2 creates its files with the process umask: the database file holds personal data, so make it 0600. */
    void restrictFiles() {
        java.nio.file.Path h2 = location.h2File();
        if (h2 == null) {
            return;
        }
        for (String suffix : new String[] {".mv.db", ".trace.db", ".lock.db"}) {
            java.nio.file.Path f = h2.resolveSibling(h2.getFileName() + suffix);
            try {
                if (java.nio.file.Files.exists(f)) {
                    PrivateFiles.restrict(f);
                }
            } catch (java.io.IOException e) {
                throw new StorageException("cannot restrict " + f + " to its owner: " + e.getMessage(), e);
            }
        }
    }

    void onCommit(CommitListener l) {
        this.listener = l;
    }

    /**
     * Removes deleted rows from the database files: H2 rewrites its file ({@code SHUTDOWN COMPACT}) when no other
     * session has it open; PostgreSQL runs {@code VACUUM} on the tables. Returns what was done, for the caller's report.
     */
    String compact(String... tables) {
        synchronized (idle) {
            for (Connection c : idle) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // reopened on next use
                }
            }
            idle.clear();
        }
        try (Connection c = DriverManager.getConnection(location.connectUrl(), location.user(), location.password());
             java.sql.Statement st = c.createStatement()) {
            c.setAutoCommit(true);
            if (location.postgres()) {
                st.execute("VACUUM " + String.join(", ", tables));
                return "VACUUM " + String.join(", ", tables);
            }
            long sessions;
            try (java.sql.ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS")) {
                rs.next();
                sessions = rs.getLong(1);
            }
            long ours = 1 + (holder != null ? 1 : 0);
            if (sessions > ours) {
                return "compaction deferred: " + (sessions - ours) + " other session(s) have the database open"
                        + " (the keys are destroyed; run `likeness registry compact` when they have closed)";
            }
            // SHUTDOWN COMPACT corrupted a file here once (MVStore "Double mark", CollectionsTest): close the database,
            // then copy its live pages into a new file with H2's own tool, which replaces the old file
            st.execute("SHUTDOWN");
            java.nio.file.Path file = location.h2File().resolveSibling(location.h2File().getFileName() + ".mv.db");
            try {
                org.h2.mvstore.MVStoreTool.compact(file.toString(), false);
            } catch (RuntimeException e) {
                holder = null;
                holder = borrow();
                return "compaction failed (" + firstLine(e.getMessage()) + "): the keys are destroyed; dead pages remain"
                        + " until a later erasure compacts";
            }
            restrictFiles();
            synchronized (idle) {
                if (holder != null) {
                    try {
                        holder.close();
                    } catch (SQLException ignored) {
                        // closed by the shutdown
                    }
                    holder = null;
                }
            }
            holder = borrow();
            return "database file compacted";
        } catch (SQLException e) {
            throw storage(e);
        }
    }

    RegistryLocation location() {
        return location;
    }

    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    interface WriteWork<T> {
        T run(Connection c, RegistryLog.Appender log) throws SQLException;
    }

    /**
     * A read of several statements that must see one state of the database (the log and the rows it is checked
     * against): one transaction at snapshot isolation, so that a change another process commits meanwhile is seen
     * either whole or not at all. Rolled back: it changes nothing.
     */
    <T> T snapshot(Work<T> work) {
        Connection c = borrow();
        boolean healthy = false;
        try {
            c.setAutoCommit(false);
            if (location.h2File() != null || location.jdbcUrl().startsWith("jdbc:h2:")) {
                try (java.sql.Statement st = c.createStatement()) {
                    st.execute("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SNAPSHOT");
                }
            } else {
                c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ); // PostgreSQL: a snapshot
            }
            try {
                T result = work.run(c);
                healthy = true;
                return result;
            } finally {
                c.rollback();
                if (location.h2File() != null || location.jdbcUrl().startsWith("jdbc:h2:")) {
                    try (java.sql.Statement st = c.createStatement()) {
                        st.execute("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ COMMITTED");
                    }
                } else {
                    c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                }
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            healthy = false;
            throw storage(e);
        } catch (RegistryException | IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException | AssertionError e) {
            healthy = false;
            throw new StorageException("registry database " + location.jdbcUrl() + " failed: " + firstLine(e.getMessage()), e);
        } finally {
            giveBack(c, healthy);
        }
    }

    /** A read in autocommit mode. */
    <T> T read(Work<T> work) {
        Connection c = borrow();
        boolean healthy = false;
        try {
            c.setAutoCommit(true);
            T result = work.run(c);
            healthy = true;
            return result;
        } catch (SQLException e) {
            throw storage(e);
        } catch (RegistryException | IllegalArgumentException e) {
            healthy = true;
            throw e;
        } catch (RuntimeException | AssertionError e) {
            throw new StorageException("registry database " + location.jdbcUrl() + " failed: " + firstLine(e.getMessage()), e);
        } finally {
            giveBack(c, healthy);
        }
    }

    /**
     * A change and its log entries in one transaction, serialised with every other change by the
     * lock on the log head row; retried on deadlock, serialisation failure or lock timeout.
     */
    <T> T write(String actor, WriteWork<T> work) {
        for (int attempt = 1; ; attempt++) {
            Connection c = borrow();
            boolean healthy = false;
            try {
                c.setAutoCommit(false);
                RegistryLog.Appender appender = RegistryLog.lockHead(c, actor);
                T result = work.run(c, appender);
                appender.finish();
                c.commit();
                healthy = true;
                CommitListener l = listener;
                if (l != null && appender.appended()) {
                    l.committed(appender.seq(), appender.hash());
                }
                return result;
            } catch (SQLException e) {
                rollback(c);
                if (attempt < MAX_ATTEMPTS && retryable(e)) {
                    healthy = true;
                    pause(attempt);
                    continue;
                }
                throw storage(e);
            } catch (RegistryException | IllegalArgumentException e) {
                rollback(c);
                healthy = true;
                throw e;
            } catch (RuntimeException | AssertionError e) {
                // a driver that lost its server can throw unchecked errors (pgjdbc's internal assertion "getAutoCommit()
                // should not throw" when run with -ea, PostgresFaultTest): a storage failure like any other, and the
                // connection is not reused
                rollback(c);
                throw new StorageException("registry database " + location.jdbcUrl() + " failed: " + firstLine(e.getMessage()), e);
            } finally {
                giveBack(c, healthy);
            }
        }
    }

    private static boolean retryable(SQLException e) {
        String state = e.getSQLState();
        // 40001 serialization failure, 40P01 deadlock (PostgreSQL); HYT00 lock timeout, 40001 deadlock (H2)
        return "40001".equals(state) || "40P01".equals(state) || "HYT00".equals(state);
    }

    static boolean inUse(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && (sql.getErrorCode() == H2_DATABASE_ALREADY_OPEN
                    || sql.getErrorCode() == H2_CONNECTION_BROKEN)) {
                return true;
            }
            // two processes opening at the same moment: H2 refuses a lock file another process touched a moment ago
            if (t instanceof SQLException sql && sql.getErrorCode() == H2_ERROR_OPENING && sql.getMessage() != null
                    && sql.getMessage().contains(H2_LOCK_FILE_RECENTLY_MODIFIED)) {
                return true;
            }
        }
        return false;
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(Math.min(200, 5L * attempt));
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
    }

    private static void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is discarded by giveBack when it is broken
        }
    }

    StorageException storage(SQLException e) {
        return new StorageException("registry database " + location.jdbcUrl() + " failed: "
                + firstLine(e.getMessage()) + " (SQL state " + e.getSQLState() + ")", e);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private Connection borrow() {
        synchronized (idle) {
            if (closed) {
                throw new IllegalStateException("registry is closed");
            }
            Connection c = idle.pollFirst();
            if (c != null) {
                return c;
            }
        }
        long deadline = System.nanoTime() + IN_USE_WAIT_MS * 1_000_000L;
        for (int attempt = 1; ; attempt++) {
            try {
                return DriverManager.getConnection(location.connectUrl(), location.user(), location.password());
            } catch (SQLException e) {
                if (inUse(e) && System.nanoTime() < deadline) {
                    pause(attempt);
                    continue;
                }
                throw new StorageException("cannot connect to the registry database " + location.jdbcUrl() + ": "
                        + (inUse(e) ? IN_USE_ADVICE : firstLine(e.getMessage())), e);
            }
        }
    }

    private void giveBack(Connection c, boolean healthy) {
        synchronized (idle) {
            if (healthy && !closed && idle.size() < MAX_IDLE) {
                idle.addFirst(c);
                return;
            }
        }
        try {
            c.close();
        } catch (SQLException ignored) {
            // closing a broken connection
        }
    }

    @Override
    public void close() {
        synchronized (idle) {
            closed = true;
            for (Connection c : idle) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // best effort on shutdown
                }
            }
            idle.clear();
            if (holder != null) {
                try {
                    holder.close();
                } catch (SQLException ignored) {
                    // best effort on shutdown
                }
                holder = null;
            }
        }
    }
}
