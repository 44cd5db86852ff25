package org.likeness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.Models;
import org.likeness.SharedData;
import org.likeness.registry.MasterKey;
import org.likeness.registry.Registry;

/**
 * The audit and the registry's protections end to end, on real lfw-dev photos: the audit's report folder and scan cache
 * are private; a consent un-revoked behind the log's back makes the audit refuse to run instead of passing the face;
 * erasing a subject destroys the audit's cache of plain embeddings.
 */
class AuditRegistryTrustTest {
    @TempDir
    Path tmp;

    private record Run(int code, String err) {
    }

    private static Run likeness(Map<String, String> env, String... args) {
        PrintStream err = System.err;
        PrintStream out = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(env, args);
            return new Run(code, buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(err);
            System.setOut(out);
        }
    }

    @Test
    void theAuditActsOnlyOnAVerifiedRegistryAndErasureReachesItsCache() throws Exception {
        Path lfw = SharedData.require("lfw-dev/images");
        Models.store();
        Map<String, String> env = new HashMap<>();
        env.put("LIKENESS_HOME", tmp.resolve("home").toString());
        assertThat(likeness(env, "registry", "init").code()).isZero();
        assertThat(likeness(env, "subject", "add", "--id", "Colin_Powell", lfw.resolve("Colin_Powell/Colin_Powell_0001.jpg").toString()).code()).isZero();
        assertThat(likeness(env, "consent", "grant", "Colin_Powell", "--purpose", "training").code()).isZero();
        assertThat(likeness(env, "consent", "revoke", "Colin_Powell", "--purpose", "training").code()).isZero();
        Path data = tmp.resolve("dataset");
        Files.createDirectories(data);
        Files.copy(lfw.resolve("Colin_Powell/Colin_Powell_0002.jpg"), data.resolve("cp.jpg"));
        Path report = tmp.resolve("report");

        Run first = likeness(env, "audit", data.toString(), "--purpose", "training", "--report", report.toString());
        assertThat(first.code()).as(first.err()).isEqualTo(ExitCodes.NOT_CONSENTED);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(report))).isEqualTo("rwx------");
        for (String f : new String[] {"scan.jsonl.gz", "findings.json", "findings.csv", "report.html"}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(report.resolve(f)))).as(f).isEqualTo("rw-------");
        }

        // an insider un-revokes the consent in the database: before, the audit then passed (exit 0)
        String password;
        try (MasterKey key = MasterKey.load(tmp.resolve("home/registry/master.key"))) {
            password = Registry.h2Password(key);
        }
        String url = "jdbc:h2:file:" + tmp.resolve("home/registry/registry").toAbsolutePath() + ";AUTO_SERVER=TRUE";
        try (Connection c = DriverManager.getConnection(url, "", password); Statement s = c.createStatement()) {
            s.execute("UPDATE consent SET revoked_at = NULL");
        }
        Run tampered = likeness(env, "audit", data.toString(), "--purpose", "training", "--report", report.toString());
        assertThat(tampered.code()).isEqualTo(ExitCodes.ERROR);
        assertThat(tampered.err()).contains("refused").contains("consent 1 revoked_at: row NULL vs logged");
        try (Connection c = DriverManager.getConnection(url, "", password); Statement s = c.createStatement()) {
            s.execute("UPDATE consent SET revoked_at = (SELECT MIN(recorded_at) FROM consent)"); // not the logged time either
        }
        assertThat(likeness(env, "audit", data.toString(), "--purpose", "training", "--report", report.toString()).code())
                .isEqualTo(ExitCodes.ERROR);
        Run verify = likeness(env, "log", "verify");
        assertThat(verify.code()).isEqualTo(1);

        // erasure is never refused (not even on a tampered registry) and reaches the audit's cache
        assertThat(report.resolve("scan.jsonl.gz")).exists();
        Run erase = likeness(env, "subject", "erase", "Colin_Powell");
        assertThat(erase.code()).as(erase.err()).isZero();
        assertThat(report.resolve("scan.jsonl.gz")).as("the audit cache of plain embeddings").doesNotExist();
    }
}
