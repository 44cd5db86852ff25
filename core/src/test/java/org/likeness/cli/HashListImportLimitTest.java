package org.likeness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A list file is parsed whole before its signature can be checked, and the parsed tree takes several times the file's
 * size: at the launcher's default heap (-Xmx1g) a 157 MB list (1.1 million entries, a key id the marketplace trusts and
 * a forged signature, which anyone can write) ended `hashlist import` in an OutOfMemoryError, under the 256 MiB limit.
 * The limit is now one a 1 GiB heap verifies and imports (docs/HASHLISTS.md, "Marketplace store").
 */
class HashListImportLimitTest {
    @TempDir
    Path tmp;

    @Test
    void aListOverTheLimitIsRefusedUnreadWithOneLine() throws Exception {
        Path over = tmp.resolve("over.json");
        try (RandomAccessFile f = new RandomAccessFile(over.toFile(), "rw")) {
            f.setLength(100L << 20);
        }
        StringWriter o = new StringWriter(), e = new StringWriter();
        int code = Main.run(Map.of("LIKENESS_HOME", tmp.resolve("home").toString()), new PrintWriter(o, true), new PrintWriter(e, true),
                "hashlist", "import", over.toString());
        assertThat(code).isEqualTo(ExitCodes.SOME_FAILED);
        assertThat(e.toString().strip()).isEqualTo("likeness: " + over + ": refused: larger than 64 MiB");
    }
}
