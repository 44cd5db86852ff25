package org.likeness.cli.registry;

import org.likeness.cli.registry.RegistryCli.Run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code registry backup|restore} end to end on an H2 registry under a temporary LIKENESS_HOME. */
class RegistryBackupCliTest {
    @TempDir
    Path tmp;

    private Map<String, String> env;
    private RegistryCli cli;

    @BeforeEach
    void setUp() {
        cli = new RegistryCli(tmp);
        env = cli.env;
    }

    private Run run(String... args) {
        return cli.run(args);
    }

    private String photo(String name, String seed) throws Exception {
        Path p = tmp.resolve(name);
        Files.writeString(p, seed + "\n");
        return p.toString();
    }

    private Run ok(String... args) {
        Run r = run(args);
        assertThat(r.code()).as(String.join(" ", args) + ": " + r.err()).isZero();
        return r;
    }

    @Test
    void backupEraseAddRestore() throws Exception {
        ok("registry", "init");
        ok("subject", "add", "--id", "alice", "--name", "Alice A.", photo("a.txt", "1"));
        ok("subject", "add", "--id", "carol", photo("c.txt", "3"));
        ok("consent", "grant", "alice", "--purpose", "training", "--from", "2025-01-01");
        ok("consent", "grant", "carol", "--purpose", "training", "--from", "2025-01-01");
        Path backup = tmp.resolve("backups").resolve("monday");
        Run b = ok("registry", "backup", "-o", backup.toString());
        assertThat(b.out()).startsWith("backup written to " + backup + ": registry ");
        ok("subject", "erase", "alice");
        ok("consent", "revoke", "carol", "--purpose", "training");
        ok("subject", "add", "--id", "bob", photo("b.txt", "2"));

        Run refused = run("registry", "restore", backup.toString());
        assertThat(refused.code()).isEqualTo(org.likeness.cli.ExitCodes.ERROR);
        assertThat(refused.err()).startsWith("likeness: registry restore would replace the database ").endsWith("run it again with --yes\n");

        Run restored = ok("registry", "restore", backup.toString(), "--yes");
        assertThat(restored.out()).contains("erased (key destroyed after the backup): 1 alice\n")
                .contains("consent revocations made after the backup, replayed: 1\n")
                .contains("key slots destroyed (subjects added after the backup): 1\n")
                .contains("database file compacted; log head ");
        assertThat(ok("subject", "show", "alice").out()).contains("erased").contains("enrolments 0");
        Run bob = run("subject", "show", "bob");
        assertThat(bob.code()).isEqualTo(org.likeness.cli.ExitCodes.SOME_FAILED);
        assertThat(bob.err()).isEqualTo("likeness: subject 'bob' does not exist\n");
        assertThat(ok("consent", "status", "alice", "--purpose", "training").out()).contains("ERASED");
        assertThat(ok("consent", "list", "alice").out()).contains("1 consent record(s)");
        assertThat(ok("consent", "status", "carol", "--purpose", "training").out()).contains("REVOKED");
        assertThat(ok("log", "verify").out()).endsWith("registry intact\n");
        assertThat(ok("log", "show").out()).contains("registry.restore").contains("key destroyed after the backup");
    }

    @Test
    void postgresqlIsReferredToPgDump() {
        Run r = run("registry", "backup", "-o", tmp.resolve("x").toString(), "--db", "jdbc:postgresql://127.0.0.1:1/none");
        assertThat(r.code()).isEqualTo(org.likeness.cli.ExitCodes.ERROR);
        assertThat(r.err()).isEqualTo("likeness: registry backup writes H2 registries only: back up a PostgreSQL registry's"
                + " database with pg_dump and never its key store (docs/REGISTRY.md, \"Backups and erasure\")\n");
        assertThat(tmp.resolve("x")).doesNotExist();
        Run restore = run("registry", "restore", tmp.toString(), "--db", "jdbc:postgresql://127.0.0.1:1/none");
        assertThat(restore.code()).isEqualTo(org.likeness.cli.ExitCodes.ERROR);
        assertThat(restore.err()).startsWith("likeness: registry restore writes H2 registries only");
    }

    @Test
    void aFolderThatIsNoBackupIsNamed() throws Exception {
        ok("registry", "init");
        Run r = run("registry", "restore", tmp.toString(), "--yes");
        assertThat(r.code()).isEqualTo(org.likeness.cli.ExitCodes.ERROR);
        assertThat(r.err()).isEqualTo("likeness: " + tmp.resolve("backup.json") + ": missing (not a registry backup folder made by"
                + " `registry backup`)\n");
    }
}
