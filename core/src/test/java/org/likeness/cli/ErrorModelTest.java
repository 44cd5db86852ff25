package org.likeness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The one error model: every command family exits with the codes the README documents (0, 1, 2, 3), and every failure
 * is one line {@code likeness: [PATH: ]REASON}, with a stack trace only under {@code --debug}. Output is captured
 * through picocli's streams, not by swapping System.out.
 */
class ErrorModelTest {
    @TempDir
    Path tmp;

    private final Map<String, String> env = new HashMap<>();

    record Run(int code, String out, String err) {
    }

    @BeforeEach
    void home() {
        env.put("LIKENESS_HOME", tmp.resolve("home").toString());
    }

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(env, new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    private static void assertOneLine(Run r, int code) {
        assertThat(r.code()).as(r.err()).isEqualTo(code);
        assertThat(r.err()).startsWith("likeness: ").doesNotContain("\tat ").doesNotContain("internal error");
        assertThat(r.err().lines()).as(r.err()).hasSize(1);
    }

    @Test
    void registryCommandsExitZeroOneAndTwo() {
        assertThat(run("registry", "init").code()).isZero();
        Run list = run("subject", "list");
        assertThat(list.code()).as(list.err()).isEqualTo(ExitCodes.OK);
        Run missing = run("subject", "show", "nobody");
        assertOneLine(missing, ExitCodes.SOME_FAILED);
        assertThat(missing.err()).isEqualTo("likeness: subject 'nobody' does not exist\n");
        Run purpose = run("consent", "grant", "nobody", "--purpose", "marketing");
        assertOneLine(purpose, ExitCodes.ERROR);
        assertThat(purpose.err()).contains("--purpose").contains("'marketing'")
                .contains("training, evaluation, publication, identification");
        Run unknownOption = run("log", "verify", "--no-such-option");
        assertThat(unknownOption.code()).isEqualTo(ExitCodes.ERROR);
        assertThat(unknownOption.err()).startsWith("likeness: Unknown option: '--no-such-option'");
    }

    @Test
    void aMissingNameExitsTheSameFromCollectionShowAndSubjectShow() {
        assertThat(run("registry", "init").code()).isZero();
        Run collection = run("collection", "show", "nobody");
        Run subject = run("subject", "show", "nobody");
        assertOneLine(collection, ExitCodes.SOME_FAILED);
        assertOneLine(subject, ExitCodes.SOME_FAILED);
        assertThat(collection.err()).contains("'nobody'");
        Run list = run("collection", "list");
        assertThat(list.code()).as(list.err()).isZero();
    }

    @Test
    void unknownVocabularyValuesAreOneLineListingTheValidOnes() throws Exception {
        Path photos = Files.createDirectories(tmp.resolve("photos"));
        Run detector = run("scan", photos.toString(), "-o", tmp.resolve("s.jsonl.gz").toString(), "--detector", "nope");
        assertOneLine(detector, ExitCodes.ERROR);
        assertThat(detector.err()).contains("'nope'").contains("ultraface-rfb320, blazeface-front-128, blazeface-back-256");
        Run mode = run("redact", photos.toString(), "--findings", tmp.resolve("f.json").toString(), "-o",
                tmp.resolve("out").toString(), "--mode", "smear");
        assertOneLine(mode, ExitCodes.ERROR);
        assertThat(mode.err()).contains("'smear'").contains("blur, pixelate, mask or drop");
        Run threads = run("scan", photos.toString(), "-o", tmp.resolve("s.jsonl.gz").toString(), "--threads", "0");
        assertOneLine(threads, ExitCodes.ERROR);
        assertThat(threads.err()).contains("--threads").contains("at least 1");
        Run purpose = run("audit", photos.toString(), "--purpose", "marketing");
        assertOneLine(purpose, ExitCodes.ERROR);
        assertThat(purpose.err()).contains("training, evaluation, publication, identification");
    }

    @Test
    void outputIsNamedTheSameEverywhereAndTheOldNameStillWorks() throws Exception {
        Path photos = Files.createDirectories(tmp.resolve("photos"));
        Path findings = tmp.resolve("absent-findings.json");
        for (String name : new String[] {"-o", "--output", "--out"}) {
            Run r = run("redact", photos.toString(), "--findings", findings.toString(), name, tmp.resolve("out").toString());
            assertOneLine(r, ExitCodes.ERROR);
            assertThat(r.err()).as(name).startsWith("likeness: " + findings + ": no such findings file");
        }
    }

    @Test
    void pipelineCommandsExitZeroOneAndTwoWithPathLines() throws Exception {
        Path good = org.likeness.SharedData.require("lfw-dev/images").resolve("Colin_Powell/Colin_Powell_0001.jpg");
        Path bad = Files.writeString(tmp.resolve("broken.jpg"), "not a picture");
        Run ok = run("hash", good.toString());
        assertThat(ok.code()).as(ok.err()).isEqualTo(ExitCodes.OK);
        assertThat(ok.out()).endsWith(" " + good + "\n");
        Run some = run("hash", good.toString(), bad.toString());
        assertThat(some.code()).isEqualTo(ExitCodes.SOME_FAILED);
        assertThat(some.err()).startsWith("likeness: " + bad + ": ");
        assertThat(some.out()).contains(good.toString());
        Run nothing = run("scan", tmp.resolve("absent").toString(), "-o", tmp.resolve("s.jsonl.gz").toString());
        assertOneLine(nothing, ExitCodes.ERROR);
        assertThat(nothing.err()).contains(tmp.resolve("absent").toString());
    }

    @Test
    void anAuditOfAFaceNobodyConsentedToExitsThree() throws Exception {
        assertThat(run("registry", "init").code()).isZero();
        Path photos = Files.createDirectories(tmp.resolve("photos"));
        Files.copy(org.likeness.SharedData.require("lfw-dev/images").resolve("Colin_Powell/Colin_Powell_0001.jpg"), photos.resolve("a.jpg"));
        Files.writeString(photos.resolve("broken.jpg"), "not a picture");
        Run audit = run("audit", photos.toString(), "--purpose", "training", "--report", tmp.resolve("r").toString());
        assertThat(audit.code()).as(audit.err()).isEqualTo(ExitCodes.NOT_CONSENTED);
        assertThat(audit.err()).contains("likeness: broken.jpg: ");

        // the file the audit could not read is withheld by redact: exit 1, one line in the common form
        Run redact = run("redact", photos.toString(), "--findings", tmp.resolve("r/findings.json").toString(), "-o",
                tmp.resolve("copy").toString(), "--no-progress");
        assertThat(redact.code()).as(redact.err()).isEqualTo(ExitCodes.SOME_FAILED);
        assertThat(redact.err()).contains("likeness: broken.jpg: withheld: ");
    }

    @Command(name = "likeness")
    static final class Root {
    }

    @Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new IllegalStateException("a bug\nwith a second line");
        }
    }

    private static Run boom(String... args) {
        CommandLine cl = Failures.install(new CommandLine(new Root()));
        cl.addSubcommand(new Boom());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return new Run(cl.execute(args), out.toString(), err.toString());
    }

    @Test
    void anUnexpectedExceptionIsAnInternalErrorWithoutAStackTraceUnlessDebug() {
        Run plain = boom("boom");
        assertThat(plain.code()).isEqualTo(ExitCodes.ERROR);
        assertThat(plain.err()).isEqualTo("likeness: internal error: java.lang.IllegalStateException: a bug\\u000awith a"
                + " second line\nlikeness: run with --debug for the stack trace\n");
        Run debug = boom("boom", "--debug");
        assertThat(debug.code()).isEqualTo(ExitCodes.ERROR);
        assertThat(debug.err()).startsWith("likeness: internal error: java.lang.IllegalStateException")
                .contains("\tat org.likeness.cli.ErrorModelTest$Boom.call");
        Run debugFirst = boom("--debug", "boom");
        assertThat(debugFirst.err()).contains("\tat org.likeness.cli.ErrorModelTest$Boom.call");
    }

    @Test
    void aUserFailureShowsItsStackTraceOnlyWithDebug() {
        assertThat(run("registry", "init").code()).isZero();
        assertThat(run("subject", "show", "nobody").err()).doesNotContain("\tat ");
        Run debug = run("subject", "show", "nobody", "--debug");
        assertThat(debug.code()).isEqualTo(ExitCodes.SOME_FAILED);
        assertThat(debug.err()).startsWith("likeness: subject 'nobody' does not exist\n")
                .contains("org.likeness.registry.NotFoundException").contains("\tat ");
    }
}
