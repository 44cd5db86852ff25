package org.likeness.registry;

import java.nio.file.Path;
import java.util.Map;

/**
 * Child process of {@link RegistryBackupTest}: opens the registry (as {@code watch} does), prints "open", and keeps it
 * open until its standard input closes. Arguments: JDBC URL, home directory. Credentials and master key from the
 * environment.
 */
public final class HoldOpen {
    private HoldOpen() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        RegistryLocation base = RegistryLocation.resolve(args[0], env);
        RegistryLocation location = new RegistryLocation(base.jdbcUrl(), base.user(), base.password(), Path.of(args[1]));
        try (MasterKey key = MasterKey.resolve(location.defaultKeyFile(), env);
             Registry r = Registry.open(location, key, "holder")) {
            r.subjects();
            System.out.println("open");
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the parent to close our input
            }
        }
    }
}
