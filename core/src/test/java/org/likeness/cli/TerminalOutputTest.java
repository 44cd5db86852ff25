package org.likeness.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.SharedData;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * File names are the dataset seller's text: terminal escapes, bidirectional overrides and newlines in them must not
 * reach the operator's terminal raw (a forged `likeness:` line, a retitled window, a name shown backwards), whatever
 * command prints them.
 */
class TerminalOutputTest {
    @TempDir
    Path tmp;

    private record Run(int rc, String out, String err) {
    }

    private static Run run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            int rc = Main.run(args);
            return new Run(rc, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private static void assertNothingRaw(String s) {
        assertThat(s.chars().filter(c -> (c < 0x20 && c != '\n' && c != '\t' && c != '\r') || c == 0x7f
                || (c >= 0x80 && c < 0xa0) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)
                || c == 0x2028 || c == 0x2029).toArray()).as(s).isEmpty();
    }

    @Test
    void hostileFileNamesAreEscapedInFailureLinesAndOutput() throws Exception {
        Path photo = SharedData.require("lfw-dev/images").resolve("AJ_Cook/AJ_Cook_0001.jpg");
        Path ds = Files.createDirectories(tmp.resolve("ds"));
        Files.copy(photo, ds.resolve("rtl\u202egpj.exe"));
        Files.copy(photo, ds.resolve("esc\u001b[31mRED\u001b[0m.jpg"));
        Files.write(ds.resolve("title\u001b]0;pwned\u0007.jpg"), new byte[]{(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 1, 2});
        Files.write(ds.resolve("nl\nlikeness: forged.jpg"), new byte[]{1, 2, 3});

        Run hash = run("hash", ds.resolve("rtl\u202egpj.exe").toString(), ds.resolve("title\u001b]0;pwned\u0007.jpg").toString(),
                ds.resolve("nl\nlikeness: forged.jpg").toString());
        assertNothingRaw(hash.out());
        assertNothingRaw(hash.err());
        assertThat(hash.out()).contains("rtl\\u202egpj.exe");
        assertThat(hash.err().lines().filter(l -> l.startsWith("likeness: forged"))).as(hash.err()).isEmpty();

        Run scan = run("scan", "-o", tmp.resolve("s.jsonl").toString(), ds.toString());
        assertNothingRaw(scan.err());
        assertThat(scan.err()).contains("title\\u001b]0;pwned\\u0007.jpg: ");
        assertThat(scan.err().lines().filter(l -> l.startsWith("likeness: forged"))).as(scan.err()).isEmpty();
    }

    @Test
    void writersGivenToRunAreFilteredToo() throws Exception {
        Path photo = SharedData.require("lfw-dev/images").resolve("AJ_Cook/AJ_Cook_0001.jpg");
        Path ds = Files.createDirectories(tmp.resolve("ds"));
        Path rtl = Files.copy(photo, ds.resolve("rtl\u202egpj.exe"));
        Path nl = Files.write(ds.resolve("nl\nlikeness: forged.jpg"), new byte[]{1, 2, 3});
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        Main.run(System.getenv(), new java.io.PrintWriter(out), new java.io.PrintWriter(err), "hash", rtl.toString(), nl.toString());
        assertNothingRaw(out.toString());
        assertNothingRaw(err.toString());
        assertThat(out.toString()).contains("rtl\\u202egpj.exe");
        assertThat(err.toString().lines().filter(l -> l.startsWith("likeness: forged"))).as(err.toString()).isEmpty();
    }
}
