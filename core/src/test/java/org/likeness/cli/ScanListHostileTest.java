package org.likeness.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.Models;
import org.likeness.SharedData;
import org.likeness.scan.ScanFile;
import org.likeness.scan.ScanRecord;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * `scan --list` naming /dev/zero (endless) and a FIFO (blocks its reader) next to a real photo: both are refused with
 * one line each, unread, and the photo is scanned; the run ends in seconds with exit 1.
 */
class ScanListHostileTest {
    @TempDir
    Path tmp;

    @Test
    void devicesAndFifosInAListAreRefusedNotRead() throws Exception {
        Path photo = SharedData.require("lfw-dev/images").resolve("Aaron_Peirsol/Aaron_Peirsol_0001.jpg");
        Models.store();
        Path fifo = tmp.resolve("pipe.jpg");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(mk.waitFor() == 0, "skipped: mkfifo unavailable");
        Path list = tmp.resolve("list.txt");
        Files.write(list, List.of("/dev/zero", fifo.toString(), photo.toString()));
        Path out = tmp.resolve("s.jsonl.gz");
        PrintStream err = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true));
        int code;
        try {
            code = CompletableFuture.supplyAsync(() -> Main.run("scan", "--list", list.toString(), "-o", out.toString(), "--no-progress"))
                    .get(120, TimeUnit.SECONDS);
        } finally {
            System.setErr(err);
        }
        assertThat(code).isEqualTo(ExitCodes.SOME_FAILED);
        assertThat(buf.toString()).contains("likeness: /dev/zero: not a regular file (FIFO, socket or device): not checked")
                .contains("likeness: " + fifo + ": not a regular file (FIFO, socket or device): not checked");
        List<ScanRecord> records = ScanFile.readAll(out);
        assertThat(records).hasSize(3);
        assertThat(records.get(2).ok()).isTrue();
        assertThat(records.get(2).faces()).isNotEmpty();
    }
}
