package org.likeness.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A writer killed with SIGKILL mid-write leaves a consistent database and a verifiable log. */
class CrashTest {
    /** Commits the child must report before it is killed, so the kill lands amid steady writing. */
    static final int WRITES_BEFORE_KILL = 150;

    @TempDir
    Path tmp;

    static java.util.stream.Stream<String> kinds() {
        return TestDatabase.kinds();
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void sigkillMidWriteLeavesAConsistentRegistry(String kind) throws Exception {
        byte[] raw = new byte[MasterKey.BYTES];
        new java.security.SecureRandom().nextBytes(raw);
        String base64 = Base64.getEncoder().encodeToString(raw);
        try (TestDatabase db = TestDatabase.create(kind, tmp);
             MasterKey key = MasterKey.fromBase64(base64, "test")) {
            Registry.init(db.location(), key, "tester");

            String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-cp", classpath, CrashWriter.class.getName(), db.location().jdbcUrl(),
                    db.location().home().toString()));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
            pb.environment().keySet().removeIf(k -> k.startsWith("LIKENESS_") || k.startsWith("PG")); // hermetic: the test command exports LIKENESS_DB_* for its PostgreSQL runs
            pb.environment().putAll(db.env());
            pb.environment().put(MasterKey.ENV, base64);
            Process child = pb.start();
            long reported = 0;
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while (reported < WRITES_BEFORE_KILL && (line = out.readLine()) != null) {
                    reported = Long.parseLong(line.trim());
                }
                child.destroyForcibly(); // SIGKILL on Linux
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(reported).as("child wrote before the kill").isEqualTo(WRITES_BEFORE_KILL);
            assertThat(child.exitValue()).isEqualTo(137);

            try (Registry r = Registry.open(db.location(), key, "tester",
                    new MatchPolicy(0.5, MatchPolicy.PROVISIONAL_MARGIN), TemplateGallery.Search.BRUTE_FORCE)) {
                LogVerification v = r.verifyLog();
                assertThat(v.intact()).as(String.valueOf(v.reason())).isTrue();
                long grants = count(db, key, "SELECT COUNT(*) FROM consent");
                long enrolments = count(db, key, "SELECT COUNT(*) FROM enrolment");
                assertThat(grants).isGreaterThanOrEqualTo(WRITES_BEFORE_KILL);
                assertThat(enrolments).isBetween(grants, grants + 1);
                // every committed change has exactly its log entry: init, subject.add, and one per row
                assertThat(v.entries()).isEqualTo(2 + grants + enrolments);
                assertThat(count(db, key, "SELECT COUNT(*) FROM log_entry WHERE action = 'consent.grant'")).isEqualTo(grants);
                // every surviving template still decrypts
                assertThat(r.gallery(TestVectors.MODEL).size()).isEqualTo((int) enrolments);
                assertThat(r.identify(TestVectors.unit(1), TestVectors.MODEL).subject()).contains("victim");
            }
        }
    }

    private static long count(TestDatabase db, MasterKey key, String sql) throws Exception {
        try (Connection c = db.connect(key); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
