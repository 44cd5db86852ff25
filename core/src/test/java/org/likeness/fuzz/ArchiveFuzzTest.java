package org.likeness.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.likeness.scan.DatasetEntry;
import org.likeness.scan.DatasetReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The archive readers on arbitrary bytes as a .zip (starts "PK"), .tar.gz (gzip magic) or .tar (anything else): opening may fail with an IOException naming the
 * archive, and then every entry comes back as bytes or a one-line failure, never an exception.
 */
class ArchiveFuzzTest {
    /** The reader an input goes to, by its first bytes as a user's file name would say: the seeds keep their kind. */
    static String kind(byte[] b) {
        if (b.length >= 2 && b[0] == 'P' && b[1] == 'K') {
            return ".zip";
        }
        if (b.length >= 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b) {
            return ".tar.gz";
        }
        return ".tar";
    }

    @FuzzTest(maxDuration = "2m")
    void readAll(byte[] data) throws IOException {
        Path file = Files.createTempFile("likeness-fuzz", kind(data));
        try {
            Files.write(file, data);
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
