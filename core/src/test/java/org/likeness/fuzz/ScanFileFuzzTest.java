package org.likeness.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.likeness.scan.ScanFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The scan-file reader on arbitrary text: a bad header is an IOException naming the file, a bad record line is
 * reported with its line number, and nothing else escapes.
 */
class ScanFileFuzzTest {
    @FuzzTest(maxDuration = "2m")
    void read(byte[] data) throws IOException {
        Path file = Files.createTempFile("likeness-fuzz", ".jsonl");
        try {
            Files.write(file, data);
            try {
                ScanFile.read(file, r -> {
                    if (r.path() == null || r.path().isEmpty()) {
                        throw new AssertionError("a record without a path was accepted");
                    }
                }, (line, reason) -> FuzzChecks.oneLine(reason));
            } catch (IOException refused) {
                FuzzChecks.oneLine(refused.getMessage());
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
