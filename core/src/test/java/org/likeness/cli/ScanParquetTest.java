package org.likeness.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.Models;
import org.likeness.SharedData;
import org.likeness.scan.ParquetScanFile;
import org.likeness.scan.ScanFile;
import org.likeness.scan.ScanRecord;
import org.likeness.scan.ShardFixtures;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code scan SHARDS -o x.parquet} on real photos in img2dataset shards and a Hugging Face table, with bad shards. */
class ScanParquetTest {
    @TempDir
    Path tmp;

    @Test
    void shardsScanToParquetHoldTheSameRecordsAsTheJsonLinesScanAndBadShardsAreOneLineEach() throws Exception {
        Path lfw = SharedData.require("lfw-dev/images");
        Models.store();
        byte[] a = Files.readAllBytes(lfw.resolve("Aaron_Peirsol/Aaron_Peirsol_0001.jpg"));
        byte[] b = Files.readAllBytes(lfw.resolve("AJ_Cook/AJ_Cook_0001.jpg"));
        Path d = tmp.resolve("shards");
        Files.createDirectories(d);
        Map<String, byte[]> s0 = new LinkedHashMap<>();
        s0.put("000000000.jpg", a);
        s0.put("000000000.json", ShardFixtures.json("000000000", "a swimmer"));
        s0.put("000000000.txt", "a swimmer".getBytes());
        s0.put("000000001.jpg", "<html>404</html>".getBytes());
        ShardFixtures.tar(d.resolve("00000.tar"), s0);
        ShardFixtures.indexTable(d.resolve("00000.parquet"), "000000000", "000000001");
        Map<String, byte[]> s1 = new LinkedHashMap<>();
        s1.put("000010000.jpg", b);
        s1.put("000010001.jpg", a);
        ShardFixtures.tar(tmp.resolve("whole.tar"), s1);
        byte[] whole = Files.readAllBytes(tmp.resolve("whole.tar"));
        Files.write(d.resolve("00001.tar"), Arrays.copyOf(whole, 512 + b.length / 2)); // cut inside the first photo
        Map<String, byte[]> hf = new LinkedHashMap<>();
        hf.put("cook.jpg", b);
        ShardFixtures.hfTable(d.resolve("train.parquet"), hf);
        ShardFixtures.indexTable(d.resolve("wrong.parquet"), "x");

        Path parquet = tmp.resolve("out.parquet");
        StringWriter err = new StringWriter();
        int code = Main.run(Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(err, true),
                "scan", d.toString(), "-o", parquet.toString(), "--no-progress");
        assertThat(code).isEqualTo(ExitCodes.SOME_FAILED);
        assertThat(err.toString().lines().filter(l -> l.startsWith("likeness: ")).toList()).containsExactly(
                "likeness: 00000.tar/000000001.jpg: not an image (unrecognised file signature)",
                "likeness: 00001.tar!: archive is corrupt or truncated after 1 entries: Truncated TAR archive",
                "likeness: wrong.parquet: wrong schema: no image column (a struct with a binary 'bytes' field, as Hugging Face datasets"
                        + " writes); columns: key binary, url binary, width int32");
        List<ScanRecord> fromParquet = ParquetScanFile.readAll(parquet);
        assertThat(fromParquet).extracting(ScanRecord::path).containsExactly("00000.tar/000000000.jpg", "00000.tar/000000001.jpg",
                "00001.tar!", "train.parquet/0/cook.jpg", "wrong.parquet");
        assertThat(fromParquet.get(0).faces()).hasSize(1);
        assertThat(fromParquet.get(3).faces()).hasSize(1);

        Path jsonl = tmp.resolve("out.jsonl.gz");
        assertThat(Main.run(Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
                "scan", d.toString(), "-o", jsonl.toString(), "--no-progress")).isEqualTo(ExitCodes.SOME_FAILED);
        // the same records either way: faces to the written precision, vectors exactly
        assertThat(fromParquet).usingRecursiveFieldByFieldElementComparator().isEqualTo(ScanFile.readAll(jsonl));
    }
}
