package org.likeness.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.files.ScratchFiles;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Plain embeddings a killed run leaves behind, where an erasure must still reach them: the temporary scan of a
 * `collection add` (under $LIKENESS_HOME, never the system temp folder) and the half-written `.resume.gz` beside an
 * audit's recorded scan cache.
 */
class ErasureLeftoversTest {
    @TempDir
    Path tmp;

    @Test
    void anErasureDestroysScansLeftByKilledRunsAndResumeFilesOfAuditCaches() throws Exception {
        try (TestDatabase db = TestDatabase.create("h2", tmp); MasterKey key = MasterKey.random()) {
            Path home = db.location().home();
            Path scratch = ScratchFiles.create(home);
            assertThat(scratch).startsWith(home);
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(scratch.getParent()))).isEqualTo("rwx------");
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(scratch))).isEqualTo("rw-------");
            Process done = new ProcessBuilder("true").start();
            done.waitFor();
            Path leftover = scratch.resolveSibling("scan-" + done.pid() + "-1234.jsonl.gz"); // its process is gone (killed)
            Files.write(leftover, new byte[]{1, 2, 3});
            Files.write(scratch, new byte[]{4, 5, 6}); // ours, still running: kept
            Path cache = tmp.resolve("report/scan.jsonl.gz");
            Files.createDirectories(cache.getParent());
            Files.write(cache, new byte[]{7});
            Path resume = cache.resolveSibling("scan.jsonl.gz.resume.gz"); // an audit resume killed half-way
            Files.write(resume, new byte[]{8, 9});
            Registry.init(db.location(), key, "tester");
            try (Registry r = Registry.open(db.location(), key, "tester")) {
                r.addSubject("alice", "Alice", TestVectors.MODEL, List.of(TestVectors.face(1)));
                r.recordAuditCache(cache);
                Erasure e = r.erase("alice");
                assertThat(e.toString()).isNotNull();
            }
            assertThat(cache).doesNotExist();
            assertThat(resume).as("the half-written resume of a recorded cache").doesNotExist();
            assertThat(leftover).as("a killed run's temporary scan").doesNotExist();
            assertThat(scratch).as("a running process's scan is its own to delete").exists();
        }
    }
}
