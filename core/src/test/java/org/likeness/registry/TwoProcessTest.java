package org.likeness.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two JVMs on one H2 registry file at the same time (as `watch` and a consent command): before mixed mode the second
 * failed at once with "Database may be already in use". Both must finish, every write must be there, the log intact.
 */
class TwoProcessTest {
    private static final int ROUNDS = 40;

    @TempDir
    Path tmp;

    private Process start(TestDatabase db, String base64, String subject, Path err) throws IOException {
        String classpath = System.getProperty("java.class.path");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", classpath, SharedWriter.class.getName(), db.location().jdbcUrl(),
                db.location().home().toString(), subject, Integer.toString(ROUNDS)));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(err.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("LIKENESS_") || k.startsWith("PG")); // hermetic: the test command exports LIKENESS_DB_* for its PostgreSQL runs
        pb.environment().putAll(db.env());
        pb.environment().put(MasterKey.ENV, base64);
        return pb.start();
    }

    @Test
    void twoProcessesWriteTheSameH2RegistryAtOnce() throws Exception {
        try (TestDatabase db = TestDatabase.create("h2", tmp); MasterKey key = MasterKey.random()) {
            Registry.init(db.location(), key, "tester");
            String base64 = Base64.getEncoder().encodeToString(key.bytes());
            Process a = start(db, base64, "proc-a", tmp.resolve("a.err"));
            Process b = start(db, base64, "proc-b", tmp.resolve("b.err"));
            assertThat(a.waitFor(300, TimeUnit.SECONDS)).isTrue();
            assertThat(b.waitFor(300, TimeUnit.SECONDS)).isTrue();
            String outA = new String(a.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String outB = new String(b.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(a.exitValue()).as(Files.readString(tmp.resolve("a.err"))).isZero();
            assertThat(b.exitValue()).as(Files.readString(tmp.resolve("b.err"))).isZero();
            assertThat(outA).isEqualTo("done\n");
            assertThat(outB).isEqualTo("done\n");
            try (Registry r = Registry.open(db.location(), key, "tester")) {
                RegistryVerification v = r.verify();
                assertThat(v.intact()).as(String.valueOf(v.problem())).isTrue();
                // init + per process: subject.add, enrolment.add, and a grant and a revocation per round
                assertThat(v.chain().entries()).isEqualTo(1 + 2 * (2 + 2 * ROUNDS));
                assertThat(r.consents("proc-a")).hasSize(ROUNDS).allSatisfy(c -> assertThat(c.revokedAt()).isNotNull());
                assertThat(r.consents("proc-b")).hasSize(ROUNDS).allSatisfy(c -> assertThat(c.revokedAt()).isNotNull());
            }
        }
    }
}
