package org.likeness.scan;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The readers of web-scale layouts: img2dataset tar shards, Hugging Face Parquet tables, globs; and their bad inputs. */
class WebDatasetReaderTest {
    @TempDir
    Path tmp;

    private static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 1, 2, 3};

    static List<DatasetEntry> readAll(Path p) throws IOException {
        List<DatasetEntry> out = new ArrayList<>();
        try (DatasetReader r = DatasetReader.open(p)) {
            r.forEachRemaining(out::add);
        }
        return out;
    }

    private static Map<String, byte[]> shard(String... keys) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (String k : keys) {
            m.put(k + ".jpg", JPEG);
            m.put(k + ".json", ShardFixtures.json(k, "a photo"));
            m.put(k + ".txt", "a photo".getBytes());
        }
        return m;
    }

    @Test
    void shardFolderReadsImagesInShardOrderLeavesOutSidecarsAndIndexesKeepsHiddenPictures() throws IOException {
        Path d = tmp.resolve("shards");
        Files.createDirectories(d);
        ShardFixtures.tar(d.resolve("00001.tar"), shard("000010000", "000010001"));
        Map<String, byte[]> first = shard("000000000");
        first.put("000000001.txt", JPEG); // a picture named as a caption is still a picture
        ShardFixtures.tar(d.resolve("00000.tar"), first);
        ShardFixtures.indexTable(d.resolve("00000.parquet"), "000000000");
        Files.writeString(d.resolve("00000_stats.json"), "{\"count\": 1}");
        List<DatasetEntry> es = readAll(d);
        assertThat(es).extracting(DatasetEntry::path).containsExactly("00000.tar/000000000.jpg", "00000.tar/000000001.txt",
                "00001.tar/000010000.jpg", "00001.tar/000010001.jpg");
        assertThat(es).allMatch(e -> e.error() == null && Arrays.equals(e.bytes(), JPEG));
    }

    @Test
    void globSelectsShardsAndAGlobMatchingNothingIsAnError() throws IOException {
        ShardFixtures.tar(tmp.resolve("00000.tar"), shard("a"));
        ShardFixtures.tar(tmp.resolve("00001.tar"), shard("b"));
        ShardFixtures.tar(tmp.resolve("00002.tar"), shard("c"));
        assertThat(readAll(tmp.resolve("0000[01].tar"))).extracting(DatasetEntry::path).containsExactly("00000.tar/a.jpg", "00001.tar/b.jpg");
        assertThat(DatasetReader.exists(tmp.resolve("9*.tar"))).isFalse();
        assertThat(DatasetReader.shards(tmp.resolve("*.tar"))).hasSize(3);
    }

    @Test
    void truncatedShardNonImageMemberAndWrongSchemaAreOneFailedEntryEachAndReadingGoesOn() throws IOException {
        Path d = tmp.resolve("bad");
        Files.createDirectories(d);
        Map<String, byte[]> members = shard("000000000");
        members.put("000000001.jpg", "<html>404 not found</html>".getBytes()); // a failed download saved as a photo
        ShardFixtures.tar(d.resolve("00000.tar"), members);
        ShardFixtures.tar(tmp.resolve("whole.tar"), shard("000010000", "000010001"));
        byte[] whole = Files.readAllBytes(tmp.resolve("whole.tar"));
        Files.write(d.resolve("00001.tar"), Arrays.copyOf(whole, 1024 + 100)); // cut after the first member, inside the second's header
        ShardFixtures.indexTable(d.resolve("metadata.parquet"), "x"); // no shard beside it: read, and refused
        Files.write(d.resolve("cut.parquet"), Arrays.copyOf(whole, 40));
        ShardFixtures.tar(d.resolve("00002.tar"), shard("000020000"));
        List<DatasetEntry> es = readAll(d);
        assertThat(es).extracting(DatasetEntry::path).containsExactly("00000.tar/000000000.jpg", "00000.tar/000000001.jpg",
                "00001.tar/000010000.jpg", "00001.tar!", "00002.tar/000020000.jpg", "cut.parquet", "metadata.parquet");
        assertThat(es.get(1).error()).isNull(); // read: its decode fails and is reported by the scan
        assertThat(es.get(2).error()).isNull(); // the member before the cut is whole
        assertThat(es.get(3).error()).isEqualTo("archive is truncated after 1 entries: no end-of-archive marker (two zero blocks)");
        assertThat(es.get(5).error()).startsWith("not a readable Parquet file: ");
        assertThat(es.get(6).error()).isEqualTo("wrong schema: no image column (a struct with a binary 'bytes' field, as Hugging Face"
                + " datasets writes); columns: key binary, url binary, width int32");
    }

    @Test
    void huggingFaceImageTableRowsBecomeEntriesNamedByRowAndPath() throws IOException {
        Map<String, byte[]> photos = new LinkedHashMap<>();
        photos.put("a.jpg", JPEG);
        photos.put("b.jpg", new byte[]{1, 2});
        ShardFixtures.hfTable(tmp.resolve("train-00000-of-00001.parquet"), photos);
        List<DatasetEntry> es = readAll(tmp.resolve("train-00000-of-00001.parquet"));
        assertThat(es).extracting(DatasetEntry::path).containsExactly("train-00000-of-00001.parquet/0/a.jpg",
                "train-00000-of-00001.parquet/1/b.jpg");
        assertThat(es.get(0).bytes()).isEqualTo(JPEG);
        assertThat(es.get(1).bytes()).containsExactly(1, 2);
    }
}
