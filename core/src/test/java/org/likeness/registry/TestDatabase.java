package org.likeness.registry;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A fresh, empty registry database for one test: an H2 file in a temporary directory, or a new
 * schema in the PostgreSQL named by LIKENESS_TEST_PG_URL (credentials LIKENESS_DB_USER /
 * LIKENESS_DB_PASSWORD), dropped afterwards. Without LIKENESS_TEST_PG_URL the PostgreSQL run of
 * each test is skipped with a message saying how to enable it.
 */
final class TestDatabase implements AutoCloseable {
    static final String PG_URL_ENV = "LIKENESS_TEST_PG_URL";
    static final String SKIP_MESSAGE = PG_URL_ENV + " is not set: PostgreSQL run skipped"
            + " (start one with: eval \"$(scripts/pg-start.sh)\")";

    private final RegistryLocation location;
    private final String pgSchema;

    private TestDatabase(RegistryLocation location, String pgSchema) {
        this.location = location;
        this.pgSchema = pgSchema;
    }

    /** The names the parameterised tests run with. */
    static Stream<String> kinds() {
        return Stream.of("h2", "postgresql");
    }

    static TestDatabase create(String kind, Path tempDir) throws SQLException {
        if (kind.equals("h2")) {
            Path home = tempDir.resolve("home");
            return new TestDatabase(new RegistryLocation(RegistryLocation.defaultH2Url(home), "sa", "", home), null);
        }
        String url = System.getenv(PG_URL_ENV);
        assumeTrue(url != null && !url.isBlank(), SKIP_MESSAGE);
        String schema = "reg_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        RegistryLocation base = RegistryLocation.resolve(url, System.getenv());
        try (Connection c = DriverManager.getConnection(url, base.user(), base.password());
             Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        String scoped = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        return new TestDatabase(new RegistryLocation(scoped, base.user(), base.password(), tempDir.resolve("home")),
                schema);
    }

    RegistryLocation location() {
        return location;
    }

    /** Environment for a child process that opens this database. */
    Map<String, String> env() {
        return Map.of("LIKENESS_DB_USER", location.user(), "LIKENESS_DB_PASSWORD", location.password());
    }

    /**
     * A connection for tests that tamper with rows behind the registry's back: for H2, with the password derived from
     * the registry's master key (as an insider who holds the key would).
     */
    Connection connect(MasterKey key) throws SQLException {
        String password = location.h2File() != null && location.password().isEmpty() ? Database.h2Password(key) : location.password();
        return DriverManager.getConnection(location.connectUrl(), location.user(), password);
    }

    @Override
    public void close() throws SQLException {
        if (pgSchema != null) {
            String url = System.getenv(PG_URL_ENV);
            try (Connection c = DriverManager.getConnection(url, location.user(), location.password());
                 Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + pgSchema + " CASCADE");
            }
        }
    }
}
