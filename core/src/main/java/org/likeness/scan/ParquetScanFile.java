package org.likeness.scan;

import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.likeness.face.Box;
import org.likeness.face.Embedding;
import org.likeness.face.Face;
import org.likeness.face.FaceQuality;
import org.likeness.face.Landmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/** Scan records as Parquet (docs/FORMATS.md, "Scan records as Parquet"): the schema and a reader back to records. */
public final class ParquetScanFile {
    /** Key of the file metadata that holds the scan header (the JSON of a scan file's first line). */
    public static final String HEADER_KEY = "likeness.scan";

    /** One row per face, one per image without a face; {@code face} is null on the latter. */
    public static final MessageType SCHEMA = MessageTypeParser.parseMessageType("""
            message likeness_scan {
              required binary path (STRING);
              optional binary sha256 (STRING);
              optional binary format (STRING);
              required int32 width;
              required int32 height;
              optional fixed_len_byte_array(32) pdq;
              optional int32 pdq_quality;
              optional binary error (STRING);
              required int32 faces;
              optional int32 face;
              optional float box_x;
              optional float box_y;
              optional float box_w;
              optional float box_h;
              optional float score;
              optional group landmarks (LIST) { repeated group list { required float element; } }
              optional float quality;
              optional float eye_px;
              optional float sharpness;
              optional group embedding (LIST) { repeated group list { required float element; } }
            }""");

    private ParquetScanFile() {
    }

    public static boolean isParquet(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".parquet");
    }

    /** Reads every record in file order (a record's face rows are consecutive), handing each to {@code sink}. */
    public static ScanHeader read(Path file, Consumer<ScanRecord> sink) throws IOException {
        ParquetFileReader reader;
        try {
            reader = ParquetTables.footer(file);
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + ": not a readable Parquet file: " + ParquetImageReader.describe(e), e);
        }
        String headerLine = reader.getFooter().getFileMetaData().getKeyValueMetaData().get(HEADER_KEY);
        if (headerLine == null) {
            reader.close();
            throw new IOException(file + ": not a likeness scan (no '" + HEADER_KEY + "' metadata)");
        }
        ScanHeader header = ScanFile.parseHeader(file, headerLine);
        try (ParquetTables rows = ParquetTables.rows(reader, null)) {
            if (!rows.fileSchema().equals(SCHEMA)) {
                throw new IOException(file + ": not a likeness scan schema");
            }
            Pending pending = null;
            while (rows.hasNext()) {
                Group g = rows.next();
                String path = g.getString("path", 0);
                if (pending == null || !pending.path.equals(path)) {
                    if (pending != null) {
                        sink.accept(pending.record());
                    }
                    pending = new Pending(path, g);
                }
                if (g.getFieldRepetitionCount("face") > 0) {
                    pending.faces.add(face(header.embedder(), g));
                }
            }
            if (pending != null) {
                sink.accept(pending.record());
            }
        } catch (java.io.UncheckedIOException e) {
            throw new IOException(file + ": " + e.getCause().getMessage(), e.getCause());
        }
        return header;
    }

    /** All records in memory (small scans and tests). */
    public static List<ScanRecord> readAll(Path file) throws IOException {
        List<ScanRecord> out = new ArrayList<>();
        read(file, out::add);
        return out;
    }

    private static final class Pending {
        final String path;
        final Group first;
        final List<Face> faces = new ArrayList<>();

        Pending(String path, Group first) {
            this.path = path;
            this.first = first;
        }

        ScanRecord record() {
            return new ScanRecord(path, optString(first, "sha256"), optString(first, "format"), first.getInteger("width", 0),
                    first.getInteger("height", 0), faces,
                    first.getFieldRepetitionCount("pdq") > 0 ? HexFormat.of().formatHex(first.getBinary("pdq", 0).getBytes()) : null,
                    first.getFieldRepetitionCount("pdq_quality") > 0 ? first.getInteger("pdq_quality", 0) : -1,
                    optString(first, "error"));
        }
    }

    private static String optString(Group g, String field) {
        return g.getFieldRepetitionCount(field) > 0 ? g.getString(field, 0) : null;
    }

    private static Face face(String embedder, Group g) {
        float[] lm = floats(g, "landmarks");
        return new Face(new Box(g.getFloat("box_x", 0), g.getFloat("box_y", 0), g.getFloat("box_w", 0), g.getFloat("box_h", 0)),
                g.getFloat("score", 0), new Landmarks(lm),
                new FaceQuality(g.getFloat("quality", 0), g.getFloat("eye_px", 0), g.getFloat("sharpness", 0)),
                new Embedding(embedder, floats(g, "embedding")));
    }

    private static float[] floats(Group g, String field) {
        Group list = g.getGroup(field, 0);
        int n = list.getFieldRepetitionCount("list");
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = list.getGroup("list", i).getFloat("element", 0);
        }
        return out;
    }
}
