package org.likeness.cli.registry;

import java.io.IOException;
import java.util.Map;
import org.likeness.registry.MasterKey;
import org.likeness.registry.Registry;
import org.likeness.registry.RegistryLocation;
import picocli.CommandLine.Option;

/** Options shared by every registry command. Credentials never come from here: only from the environment. */
public final class RegistryOptions {
    @Option(names = "--db", paramLabel = "URL", description = "JDBC URL of the registry: jdbc:postgresql://host:port/db"
            + " (user and password from LIKENESS_DB_USER / LIKENESS_DB_PASSWORD or PGUSER / PGPASSWORD) or jdbc:h2:..."
            + " Default: an H2 file under $LIKENESS_HOME/registry ($LIKENESS_HOME defaults to ~/.cache/likeness).")
    String db;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Option(names = "--actor", paramLabel = "NAME", description = "Who makes the change, recorded in the log"
            + " and as recorded-by. Default: the operating-system user.")
    String actor;

    RegistryLocation location(Map<String, String> env) {
        return RegistryLocation.resolve(db, env);
    }

    String actor() {
        return actor != null ? actor : System.getProperty("user.name", "unknown");
    }

    /** The master key: LIKENESS_MASTER_KEY, else the key file made by {@code registry init}. */
    MasterKey masterKey(RegistryLocation location, Map<String, String> env) throws IOException {
        return MasterKey.resolve(location.defaultKeyFile(), env);
    }

    Registry open(RegistryLocation location, MasterKey key) {
        return Registry.open(location, key, actor());
    }
}
