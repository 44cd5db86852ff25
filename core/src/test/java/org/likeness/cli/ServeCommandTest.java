package org.likeness.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code likeness serve}'s options: upload sizes, and the first admin's password. */
class ServeCommandTest {
    @TempDir
    Path tmp;

    @Test
    void uploadSizesReadLikeTheHelpSays() {
        assertThat(ServeCommand.parseSize("512M")).isEqualTo(512L * 1024 * 1024);
        assertThat(ServeCommand.parseSize("2g")).isEqualTo(2L * 1024 * 1024 * 1024);
        assertThat(ServeCommand.parseSize("64K")).isEqualTo(65536);
        assertThat(ServeCommand.parseSize("1048576")).isEqualTo(1048576);
        assertThatThrownBy(() -> ServeCommand.parseSize("lots")).hasMessageContaining("--max-upload lots");
        assertThatThrownBy(() -> ServeCommand.parseSize("0M")).hasMessageContaining("must be positive");
    }

    private int run(Map<String, String> env, StringWriter out, StringWriter err, String... args) {
        return Main.run(env, new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void createAdminTakesThePasswordFromTheEnvironmentAndRefusesAShortOne() {
        Map<String, String> env = Map.of("LIKENESS_HOME", tmp.toString());
        assertThat(run(env, new StringWriter(), new StringWriter(), "registry", "init")).isZero();
        StringWriter err = new StringWriter();
        // no terminal in a test, no password in the environment
        assertThat(run(env, new StringWriter(), err, "serve", "--create-admin", "root")).isEqualTo(ExitCodes.ERROR);
        assertThat(err.toString()).contains("LIKENESS_ADMIN_PASSWORD").doesNotContain("Exception");
        err = new StringWriter();
        Map<String, String> weak = Map.of("LIKENESS_HOME", tmp.toString(), "LIKENESS_ADMIN_PASSWORD", "short");
        assertThat(run(weak, new StringWriter(), err, "serve", "--create-admin", "root")).isNotZero();
        assertThat(err.toString()).contains("at least 8 characters");
        StringWriter out = new StringWriter();
        Map<String, String> good = Map.of("LIKENESS_HOME", tmp.toString(), "LIKENESS_ADMIN_PASSWORD", "a good long password");
        assertThat(run(good, out, new StringWriter(), "serve", "--create-admin", "root")).isZero();
        assertThat(out.toString()).contains("created admin account root").contains("organisation default");
        err = new StringWriter();
        assertThat(run(good, new StringWriter(), err, "serve", "--create-admin", "root")).isNotZero();
        assertThat(err.toString()).contains("already exists");
        StringWriter verify = new StringWriter();
        assertThat(run(env, verify, new StringWriter(), "log", "verify")).as(verify.toString()).isZero();
    }
}
