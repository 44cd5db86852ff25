package org.likeness.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.likeness.redact.RedactionPlan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/** The findings.json reader (what redact acts on) on arbitrary bytes: a plan or an IOException, nothing else. */
class FindingsFuzzTest {
    @FuzzTest(maxDuration = "2m")
    void read(byte[] data) throws IOException {
        Path file = Files.createTempFile("likeness-fuzz", ".json");
        try {
            Files.write(file, data);
            try {
                RedactionPlan.fromFindings(file, Set.of("consented"));
            } catch (IOException refused) {
                FuzzChecks.oneLine(refused.getMessage());
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
