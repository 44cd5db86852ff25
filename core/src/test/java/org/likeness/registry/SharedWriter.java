package org.likeness.registry;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Child process of {@link TwoProcessTest}: opens the registry (and keeps it open, as {@code watch} does), adds its own
 * subject, then grants and revokes consent {@code rounds} times, reads the consent state after each, and prints "done".
 * Arguments: JDBC URL, home directory, subject id, rounds. Credentials and master key come from the environment.
 */
public final class SharedWriter {
    private SharedWriter() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        RegistryLocation base = RegistryLocation.resolve(args[0], env);
        RegistryLocation location = new RegistryLocation(base.jdbcUrl(), base.user(), base.password(), Path.of(args[1]));
        String subject = args[2];
        int rounds = Integer.parseInt(args[3]);
        try (MasterKey key = MasterKey.resolve(location.defaultKeyFile(), env);
             Registry r = Registry.open(location, key, subject)) {
            r.addSubject(subject, null, TestVectors.MODEL, List.of(TestVectors.face(subject.hashCode())));
            for (int i = 0; i < rounds; i++) {
                r.grant(new ConsentGrant(subject, Purpose.EVALUATION, Instant.parse("2025-01-01T00:00:00Z"), null, "round " + i, null));
                r.revoke(subject, Purpose.EVALUATION);
                if (r.status(subject, Purpose.EVALUATION, Instant.now()).state() != ConsentState.REVOKED) {
                    throw new IllegalStateException("round " + i + ": consent not revoked");
                }
            }
        }
        System.out.println("done");
    }
}
