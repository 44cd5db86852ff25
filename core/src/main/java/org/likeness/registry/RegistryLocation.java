package org.likeness.registry;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the registry lives: a JDBC URL (H2 file by default, or PostgreSQL) and the credentials,
 * which come from the environment only, never from the command line.
 */
public record RegistryLocation(String jdbcUrl, String user, String password, Path home) {
    /** H2 waits this long for a row lock before failing; appends queue on one row (see log_head). */
    static final int H2_LOCK_TIMEOUT_MS = 30_000;

    public RegistryLocation {
        InputText.required("database URL", jdbcUrl, 4096);
        if (!jdbcUrl.startsWith("jdbc:h2:") && !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new InvalidInputException("database URL '" + InputText.abbreviate(jdbcUrl)
                    + "' is neither jdbc:h2:... nor jdbc:postgresql://...");
        }
        if (user == null) {
            user = "";
        }
        if (password == null) {
            password = "";
        }
    }

    /** {@code $LIKENESS_HOME}, default {@code ~/.cache/likeness}. */
    public static Path home(Map<String, String> env) {
        String home = env.get("LIKENESS_HOME");
        if (home != null && !home.isBlank()) {
            return Path.of(home);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "likeness");
    }

    /**
     * Resolves the location from an optional {@code --db} URL and the environment:
     * LIKENESS_DB_USER / LIKENESS_DB_PASSWORD, falling back to PGUSER / PGPASSWORD for PostgreSQL.
     */
    public static RegistryLocation resolve(String dbUrl, Map<String, String> env) {
        Path home = home(env);
        String url = dbUrl != null ? dbUrl : defaultH2Url(home);
        boolean postgres = url.startsWith("jdbc:postgresql:");
        String user = env.getOrDefault("LIKENESS_DB_USER", postgres ? env.get("PGUSER") : null);
        String password = env.getOrDefault("LIKENESS_DB_PASSWORD", postgres ? env.get("PGPASSWORD") : null);
        return new RegistryLocation(url, user, password, home);
    }

    static String defaultH2Url(Path home) {
        return "jdbc:h2:file:" + home.resolve("registry").resolve("registry").toAbsolutePath();
    }

    public boolean postgres() {
        return jdbcUrl.startsWith("jdbc:postgresql:");
    }

    /**
     * The URL actually opened. H2 gets a lock timeout long enough for queued appends, and
     * WRITE_DELAY=0 so that a commit is written before it returns: with H2's default delay (500 ms)
     * a killed process lost acknowledged commits in CrashTest.
     */
    String connectUrl() {
        if (postgres()) {
            return jdbcUrl;
        }
        String upper = jdbcUrl.toUpperCase(java.util.Locale.ROOT);
        String url = jdbcUrl;
        if (!upper.contains("LOCK_TIMEOUT")) {
            url += ";LOCK_TIMEOUT=" + H2_LOCK_TIMEOUT_MS;
        }
        if (!upper.contains("WRITE_DELAY")) {
            url += ";WRITE_DELAY=0";
        }
        if (h2File() != null && !upper.contains("AUTO_SERVER")) {
            // mixed mode: the first process serves the file to the others over a loopback socket, so `watch` and a
            // consent command can run at once (H2 refuses a second embedded opener: "Database may be already in use")
            url += ";AUTO_SERVER=TRUE;AUTO_RECONNECT=TRUE";
        }
        return url;
    }

    /** The H2 database file's base path (without .mv.db) for a file URL; null for PostgreSQL or an in-memory H2. */
    public Path h2File() {
        if (postgres()) {
            return null;
        }
        String rest = jdbcUrl.substring("jdbc:h2:".length());
        int semi = rest.indexOf(';');
        if (semi >= 0) {
            rest = rest.substring(0, semi);
        }
        if (rest.startsWith("file:")) {
            rest = rest.substring("file:".length());
        } else if (rest.startsWith("mem:") || rest.startsWith("tcp:") || rest.startsWith("ssl:") || rest.startsWith("zip:")) {
            return null;
        }
        return rest.isEmpty() ? null : Path.of(rest).toAbsolutePath();
    }

    /** The default key file: {@code $LIKENESS_HOME/registry/master.key}. */
    public Path defaultKeyFile() {
        return home.resolve("registry").resolve("master.key");
    }

    @Override
    public String toString() {
        return "RegistryLocation[" + jdbcUrl + ", user=" + user + "]";
    }
}
