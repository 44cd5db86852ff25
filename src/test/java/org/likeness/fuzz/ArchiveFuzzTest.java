package org.likeness.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.likeness.scan.DatasetEntry;
import org.likeness.scan.DatasetReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The archive readers on arbitrary bytes as a .zip, .tar or .tar.gz: opening may fail with an IOException naming the
 * archive, and then every entry comes back as bytes or a one-line failure, never an exception.
 */
class ArchiveFuzzTest {
    private static final String[] KINDS = {".zip", ".tar", ".tar.gz"};

    @FuzzTest(maxDuration = "2m")
    void readAll(FuzzedDataProvider in) throws IOException {
        String kind = KINDS[in.consumeInt(0, KINDS.length - 1)];
        Path file = Files.createTempFile("likeness-fuzz", kind);
        try {
            Files.write(file, in.consumeRemainingAsBytes());
            DatasetReader reader;
            try {
                reader = DatasetReader.open(file);
            } catch (IOException refused) {
                FuzzChecks.oneLine(refused.getMessage());
                return;
            }
            try (reader) {
                int n = 0;
                while (reader.hasNext() && n++ < 10_000) {
                    DatasetEntry e = reader.next();
                    if (e.error() != null) {
                        FuzzChecks.oneLine(e.error());
                    }
                }
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
