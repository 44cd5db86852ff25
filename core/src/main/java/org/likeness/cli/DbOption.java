package org.likeness.cli;

import java.util.Map;
import org.likeness.registry.RegistryLocation;
import picocli.CommandLine.Option;

/** {@code --db URL}: which registry. Credentials never come from here, only from the environment. */
public final class DbOption {
    @Option(names = "--db", paramLabel = "URL", description = "JDBC URL of the registry: jdbc:postgresql://host:port/db"
            + " (user and password from LIKENESS_DB_USER / LIKENESS_DB_PASSWORD or PGUSER / PGPASSWORD) or jdbc:h2:..."
            + " Default: an H2 file under $LIKENESS_HOME/registry ($LIKENESS_HOME defaults to ~/.cache/likeness).")
    String db;

    /** The URL given, or {@code null} for the default registry. */
    public String db() {
        return db;
    }

    public RegistryLocation location(Map<String, String> env) {
        return RegistryLocation.resolve(db, env);
    }
}
