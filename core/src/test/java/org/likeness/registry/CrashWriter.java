package org.likeness.registry;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Child process of {@link CrashTest}: opens the registry given by its arguments and writes grants
 * and enrolments forever, printing the count after each commit, until it is killed.
 * Arguments: JDBC URL, home directory. Credentials and master key come from the environment.
 */
public final class CrashWriter {
    private CrashWriter() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        RegistryLocation base = RegistryLocation.resolve(args[0], env);
        RegistryLocation location = new RegistryLocation(base.jdbcUrl(), base.user(), base.password(), Path.of(args[1]));
        try (MasterKey key = MasterKey.resolve(location.defaultKeyFile(), env);
             Registry r = Registry.open(location, key, "crash-writer")) {
            r.addSubject("victim", "Victim", TestVectors.MODEL, List.of(TestVectors.face(1)));
            for (long i = 0; ; i++) {
                r.grant(new ConsentGrant("victim", Purpose.EVALUATION, Instant.parse("2025-01-01T00:00:00Z"), null,
                        "write " + i, null));
                r.enrol("victim", TestVectors.MODEL, List.of(TestVectors.face(i + 2)));
                System.out.println(i + 1);
                System.out.flush();
            }
        }
    }
}
