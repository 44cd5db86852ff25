package org.likeness.scan;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A scan file with bad lines in the middle (a non-hex PDQ, a cut line, a box of negative size, a NaN in an
 * embedding): each is named by its line number and skipped, and every valid record after it is still read.
 */
class ScanFileValidationTest {
    @TempDir
    Path tmp;

    static final String PDQ = "f".repeat(16) + "0".repeat(16) + "a".repeat(16) + "5".repeat(16);

    static String record(String path, String pdq) throws Exception {
        return ScanFile.recordLine(new ScanRecord(path, "0".repeat(64), "jpeg", 250, 250, List.of(), pdq, 90, null));
    }

    static Path write(Path file, List<String> lines) throws Exception {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return file;
    }

    static String header() throws Exception {
        return ScanFile.headerLine(new ScanHeader(ScanHeader.VERSION, "set", "d", "l", "e", "2026-11-29T00:00:00Z"));
    }

    @Test
    void badMiddleLinesAreNamedAndTheRecordsAfterThemKept() throws Exception {
        String face = "{\"box\":[1,2,-3,4],\"score\":0.9,\"landmarks\":[[1,1],[2,2],[3,3],[4,4],[5,5]],\"embedding\":[0.5,0.5]}";
        String nanFace = "{\"box\":[1,2,3,4],\"score\":0.9,\"landmarks\":[[1,1],[2,2],[3,3],[4,4],[5,5]],\"embedding\":[\"NaN\",0.5]}";
        Path scan = write(tmp.resolve("s.jsonl.gz"), List.of(header(),
                record("a.jpg", PDQ),
                record("b.jpg", "zz" + PDQ.substring(2)),
                "{\"path\":\"c.jpg\",\"sha2",
                "{\"path\":\"d.jpg\",\"faces\":[" + face + "]}",
                "{\"path\":\"e.jpg\",\"faces\":[" + nanFace + "]}",
                record("f.jpg", PDQ)));
        List<String> paths = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        ScanFile.read(scan, r -> paths.add(r.path()), (line, reason) -> problems.add(line + ": " + reason));
        assertThat(paths).containsExactly("a.jpg", "f.jpg");
        assertThat(problems).hasSize(4);
        assertThat(problems.get(0)).isEqualTo("3: \"pdq\" is not 64 hex digits");
        assertThat(problems.get(1)).startsWith("4: not JSON (");
        assertThat(problems.get(2)).isEqualTo("5: face 0: box of negative size");
        assertThat(problems.get(3)).startsWith("6: face 0: \"embedding\" holds \"NaN\"");
        assertThat(problems).allMatch(p -> !p.contains("\n"));
    }

    @Test
    void theDefaultReaderPrintsOneLinePerBadLineNamingTheFile() throws Exception {
        Path scan = write(tmp.resolve("s.jsonl.gz"), List.of(header(), "not json at all", record("ok.jpg", PDQ)));
        PrintStream err = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true));
        List<String> paths = new ArrayList<>();
        try {
            ScanFile.read(scan, r -> paths.add(r.path()));
        } finally {
            System.setErr(err);
        }
        assertThat(paths).containsExactly("ok.jpg");
        assertThat(buf.toString().strip()).startsWith("likeness: " + scan + ": line 2: not JSON (").endsWith("; line skipped")
                .doesNotContain("\n");
    }

    @Test
    void aHeaderThatIsNotJsonIsRefusedWithTheFileAndLine() throws Exception {
        Path scan = write(tmp.resolve("s.jsonl.gz"), List.of("\u0000garbage", record("ok.jpg", PDQ)));
        assertThatThrownBy(() -> ScanFile.read(scan, r -> { })).hasMessageStartingWith(scan + ": line 1: not a likeness scan file");
    }
}
