package org.likeness.cli.registry;

import org.likeness.cli.registry.RegistryCli.Run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import org.likeness.cli.ExitCodes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry commands end to end on an H2 registry under a temporary LIKENESS_HOME. */
class RegistryCliTest {
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

    private Path photo(String name, String... seeds) throws Exception {
        Path p = tmp.resolve(name);
        Files.writeString(p, String.join("\n", seeds) + "\n");
        return p;
    }

    private void initAndAddAlice() throws Exception {
        assertThat(run("registry", "init").code()).isZero();
        Run add = run("subject", "add", "--id", "alice", "--name", "Alice A.", photo("a1.txt", "1").toString(),
                photo("a2.txt", "2").toString());
        assertThat(add.code()).as(add.err()).isZero();
    }

    @Test
    void initCreatesAPrivateKeyFileAndIsIdempotent() throws Exception {
        Run first = run("registry", "init");
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out()).startsWith("initialised registry jdbc:h2:file:");
        Path key = tmp.resolve("home/registry/master.key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        Run second = run("registry", "init");
        assertThat(second.code()).isZero();
        assertThat(second.out()).startsWith("registry already initialised");
    }

    @Test
    void subjectAddRefusesAmbiguousPhotosUnlessAFaceIsChosen() throws Exception {
        assertThat(run("registry", "init").code()).isZero();
        Path none = photo("none.txt");
        Path group = photo("group.txt", "5", "6", "7");
        Run zero = run("subject", "add", "--id", "bob", none.toString());
        assertThat(zero.code()).isEqualTo(ExitCodes.ERROR);
        assertThat(zero.err()).isEqualTo("likeness: photo " + none + ": no face found\n");
        Run several = run("subject", "add", "--id", "bob", group.toString());
        assertThat(several.code()).isEqualTo(ExitCodes.ERROR);
        assertThat(several.err()).contains("3 faces found: choose one with --face N (1..3)");
        assertThat(run("subject", "list").out()).contains("0 subject(s)");
        Run chosen = run("subject", "add", "--id", "bob", "--face", "2", group.toString(), "--json");
        assertThat(chosen.code()).as(chosen.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(chosen.out());
        assertThat(json.get("id").asText()).isEqualTo("bob");
        assertThat(json.get("enrolments").get(0).get("model_id").asText()).isEqualTo(LinesFaceSource.MODEL);
        assertThat(chosen.out()).doesNotContain(Float.toString(LinesFaceSource.unit(6)[0]));
    }

    @Test
    void consentLifecycleWithReceipt() throws Exception {
        initAndAddAlice();
        Path form = photo("form.pdf", "signed");
        Run grant = run("consent", "grant", "alice", "--purpose", "training", "--from", "2025-01-01",
                "--basis", "GDPR Art. 9(2)(a)", "--evidence", form.toString());
        assertThat(grant.code()).as(grant.err()).isZero();
        assertThat(grant.out()).startsWith("granted consent 1: alice for training from 2025-01-01T00:00:00Z");
        Run status = run("consent", "status", "alice", "--purpose", "training", "--at", "2025-06-01", "--json");
        assertThat(new ObjectMapper().readTree(status.out()).get("state").asText()).isEqualTo("CONSENTED");

        Run receipt = run("consent", "receipt", "alice", "--purpose", "training");
        assertThat(receipt.code()).as(receipt.err()).isZero();
        JsonNode r = new ObjectMapper().readTree(receipt.out());
        assertThat(r.get("record_id").asText()).isEqualTo("consent-1");
        assertThat(r.get("pii_principal_id").asText()).isEqualTo("alice");
        assertThat(r.get("purposes").get(0).get("lawful_basis").asText()).isEqualTo("GDPR Art. 9(2)(a)");
        assertThat(r.get("evidence_sha256").asText()).hasSize(64);

        assertThat(run("consent", "revoke", "alice", "--purpose", "training").out()).startsWith("revoked consent 1");
        assertThat(run("consent", "status", "alice", "--purpose", "training").out()).contains("REVOKED (consent 1)");
        assertThat(run("consent", "list", "alice").out()).contains("REVOKED").contains("1 consent record(s)");
        Run erase = run("subject", "erase", "alice");
        assertThat(erase.out()).isEqualTo("erased subject alice: data key (key-store slot overwritten), 2 template(s) and"
                + " 0 collection template(s) destroyed; database file compacted; 0 audit cache(s) destroyed\n"
                + "no registered collection holds alice's face\n");
        assertThat(run("subject", "show", "alice").out()).contains("erased").contains("enrolments 0");
        assertThat(run("log", "verify").out()).startsWith("log intact: 9 entries").endsWith("registry intact\n"); // 7 changes + the revocation's and the erasure's propagation reports
    }

    @Test
    void userErrorsAreOneLineWithTheRightExitCode() throws Exception {
        initAndAddAlice();
        Run date = run("consent", "grant", "alice", "--purpose", "training", "--from", "31/01/2025");
        assertThat(date.code()).isEqualTo(ExitCodes.ERROR);
        assertThat(date.err()).isEqualTo("likeness: --from '31/01/2025' is not a date: use YYYY-MM-DD (UTC midnight)"
                + " or an ISO-8601 instant such as 2025-01-31T12:00:00Z\n");
        Run purpose = run("consent", "grant", "alice", "--purpose", "marketing");
        assertThat(purpose.code()).isEqualTo(ExitCodes.ERROR);
        assertThat(purpose.err()).isEqualTo("likeness: Invalid value for option '--purpose': unknown purpose 'marketing': use one of training, evaluation,"
                + " publication, identification (see 'likeness consent grant --help')\n");
        Run missing = run("consent", "grant", "nobody", "--purpose", "training");
        assertThat(missing.code()).isEqualTo(ExitCodes.SOME_FAILED);
        assertThat(missing.err()).isEqualTo("likeness: subject 'nobody' does not exist\n");
        Run duplicate = run("subject", "add", "--id", "alice", photo("a3.txt", "3").toString());
        assertThat(duplicate.code()).isEqualTo(ExitCodes.ERROR);
        assertThat(duplicate.err()).isEqualTo("likeness: subject 'alice' already exists\n");
        Run noPurpose = run("consent", "grant", "alice");
        assertThat(noPurpose.code()).isEqualTo(ExitCodes.ERROR);
        assertThat(run("consent", "grant", "alice", "--purpose", "training", "--evidence", "/nonexistent/form.pdf")
                .err()).isEqualTo("likeness: evidence file /nonexistent/form.pdf does not exist or is not a file\n");
    }

    @Test
    void aWrongMasterKeyAndATamperedLogFailWithExitOne() throws Exception {
        initAndAddAlice();
        env.put("LIKENESS_MASTER_KEY", java.util.Base64.getEncoder().encodeToString(new byte[32]));
        Run wrong = run("subject", "list");
        assertThat(wrong.code()).isEqualTo(ExitCodes.SOME_FAILED);
        assertThat(wrong.err()).startsWith("likeness: master key does not match this registry");
        env.remove("LIKENESS_MASTER_KEY");

        String url = "jdbc:h2:file:" + tmp.resolve("home/registry/registry").toAbsolutePath();
        String password;
        try (org.likeness.registry.MasterKey k = org.likeness.registry.MasterKey.load(tmp.resolve("home/registry/master.key"))) {
            password = org.likeness.registry.Registry.h2Password(k);
        }
        try (Connection c = DriverManager.getConnection(url + ";AUTO_SERVER=TRUE", "", password); Statement s = c.createStatement()) {
            s.execute("UPDATE log_entry SET actor = 'mallory' WHERE seq = 2");
        }
        Run verify = run("log", "verify", "--json");
        assertThat(verify.code()).isEqualTo(ExitCodes.SOME_FAILED);
        JsonNode v = new ObjectMapper().readTree(verify.out());
        assertThat(v.get("intact").asBoolean()).isFalse();
        assertThat(v.get("first_broken_seq").asLong()).isEqualTo(2);
    }

    @Test
    void withoutInitTheCommandsSayWhatToDo() {
        Run list = run("subject", "list");
        assertThat(list.code()).isEqualTo(ExitCodes.SOME_FAILED);
        assertThat(list.err()).contains("does not exist: for a new registry run `likeness registry init`;"
                + " for an existing one restore the key file");
    }

    @Test
    void hostileIdsAreRefusedAndHostileNamesPrintedEscaped() throws Exception {
        assertThat(run("registry", "init").code()).isZero();
        Path p = photo("m.txt", "3");
        // an id with a newline would forge a line in `subject list`; one with an escape sequence would drive the terminal
        for (String id : new String[] {"eve\nmallory                  Mallory   created 2020", "eve\u001b[2J", "eve bob", "-eve"}) {
            Run r = run("subject", "add", "--id=" + id, p.toString());
            assertThat(r.code()).as(id).isEqualTo(ExitCodes.ERROR);
            assertThat(r.err()).contains("may only hold letters, digits").doesNotContain("\n" + "mallory").doesNotContain("\u001b");
            assertThat(r.err().trim()).doesNotContain("\n");
        }
        Run forged = run("subject", "add", "--id=eve\nmallory", p.toString());
        assertThat(forged.err()).as("escaped once, not twice").contains("'eve\\u000amallory'").doesNotContain("\\\\u");
        Run named = run("subject", "add", "--id", "eve", "--name", "Eve\nforged line\u001b[31m red\u009b", p.toString());
        assertThat(named.code()).as(named.err()).isZero();
        Run list = run("subject", "list");
        assertThat(list.out()).contains("Eve\\u000aforged line\\u001b[31m red\\u009b").doesNotContain("\u001b")
                .doesNotContain("\u009b");
        assertThat(list.out().lines()).hasSize(2); // one subject line and the count
        Run show = run("subject", "show", "eve");
        assertThat(show.out()).doesNotContain("\u001b").contains("name      Eve\\u000aforged line");
    }

    @Test
    void registryFilesArePrivateToTheOwner() throws Exception {
        initAndAddAlice();
        Path dir = tmp.resolve("home/registry");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        for (String f : new String[] {"registry.mv.db", "registry.keys", "registry.head", "master.key"}) {
            assertThat(dir.resolve(f)).exists();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(f)))).as(f).isEqualTo("rw-------");
        }
        // the H2 file is no longer open with an empty password
        String url = "jdbc:h2:file:" + dir.resolve("registry").toAbsolutePath() + ";AUTO_SERVER=TRUE";
        assertThatThrownBy(() -> DriverManager.getConnection(url, "", "").close()).hasMessageContaining("Wrong user name or password");
    }

    @Test
    void aMissingKeyFileIsNeverReplacedByANewKey() throws Exception {
        initAndAddAlice();
        Path key = tmp.resolve("home/registry/master.key");
        Files.move(key, tmp.resolve("master.key.moved"));
        Run list = run("subject", "list");
        assertThat(list.code()).isEqualTo(ExitCodes.SOME_FAILED);
        assertThat(list.err()).contains("for an existing one restore the key file");
        Run init = run("registry", "init");
        assertThat(init.code()).isEqualTo(ExitCodes.SOME_FAILED);
        assertThat(init.err()).contains("is already initialised, but its master key file").contains("no new key was created");
        assertThat(key).doesNotExist();
        Files.move(tmp.resolve("master.key.moved"), key);
        assertThat(run("subject", "list").out()).contains("alice");
    }

    @Test
    void aMissingOrUnreadablePhotoIsNamedWithItsReason() throws Exception {
        assertThat(run("registry", "init").code()).isZero();
        Path missing = tmp.resolve("no-such-photo.jpg");
        Run r = run("subject", "add", "--id", "zed", missing.toString());
        assertThat(r.code()).isEqualTo(org.likeness.cli.ExitCodes.ERROR);
        assertThat(r.err().trim()).isEqualTo("likeness: " + missing + ": no such file");
        Path folder = Files.createDirectories(tmp.resolve("a-folder.jpg"));
        Run f = run("subject", "add", "--id", "zed", folder.toString());
        assertThat(f.err().trim()).startsWith("likeness: " + folder + ": ").isNotEqualTo("likeness: " + folder + ":");
    }
}
