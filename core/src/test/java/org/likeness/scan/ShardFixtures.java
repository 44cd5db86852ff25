package org.likeness.scan;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Writes datasets in the ecosystem's layouts for tests: img2dataset tar shards, Hugging Face image tables. */
public final class ShardFixtures {
    /** The Image feature of Hugging Face datasets, plus a label column. */
    static final MessageType HF_SCHEMA = MessageTypeParser.parseMessageType("""
            message hf {
              optional group image { optional binary bytes; optional binary path (STRING); }
              optional int64 label;
            }""");

    private ShardFixtures() {
    }

    /** A tar of the given members, in order (img2dataset: KEY.jpg then KEY.json and KEY.txt). */
    public static void tar(Path file, Map<String, byte[]> members) throws IOException {
        try (OutputStream os = Files.newOutputStream(file); TarArchiveOutputStream t = new TarArchiveOutputStream(os)) {
            t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, byte[]> m : members.entrySet()) {
                TarArchiveEntry e = new TarArchiveEntry(m.getKey());
                e.setSize(m.getValue().length);
                t.putArchiveEntry(e);
                t.write(m.getValue());
                t.closeArchiveEntry();
            }
        }
    }

    /** img2dataset's metadata beside an image. */
    public static byte[] json(String key, String caption) {
        return ("{\"key\": \"" + key + "\", \"caption\": \"" + caption + "\", \"status\": \"success\"}").getBytes(StandardCharsets.UTF_8);
    }

    /** A Parquet table in the Hugging Face image layout: one row per photo (path → bytes). */
    public static void hfTable(Path file, Map<String, byte[]> photos) throws IOException {
        Files.deleteIfExists(file);
        SimpleGroupFactory f = new SimpleGroupFactory(HF_SCHEMA);
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new LocalOutputFile(file)).withConf(new PlainParquetConfiguration())
                .withType(HF_SCHEMA).build()) {
            long label = 0;
            for (Map.Entry<String, byte[]> p : photos.entrySet()) {
                Group g = f.newGroup();
                g.addGroup("image").append("bytes", Binary.fromConstantByteArray(p.getValue())).append("path", p.getKey());
                g.append("label", label++);
                w.write(g);
            }
        }
    }

    /** A Parquet table without any image column (img2dataset's per-shard index has this shape). */
    public static void indexTable(Path file, String... keys) throws IOException {
        Files.deleteIfExists(file);
        MessageType schema = MessageTypeParser.parseMessageType(
                "message index { optional binary key (STRING); optional binary url (STRING); optional int32 width; }");
        SimpleGroupFactory f = new SimpleGroupFactory(schema);
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new LocalOutputFile(file)).withConf(new PlainParquetConfiguration())
                .withType(schema).build()) {
            for (String k : keys) {
                w.write(f.newGroup().append("key", k).append("url", "https://example.org/" + k + ".jpg").append("width", 250));
            }
        }
    }
}
