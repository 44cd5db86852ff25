package org.likeness.scan;

import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.likeness.face.Face;
import org.likeness.face.Landmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;

/**
 * Writes scan records as Parquet (docs/FORMATS.md, "Scan records as Parquet"): one row per face, and one row for each
 * image without a face (failed images included), so that every file read is in the table. The header (models,
 * dataset) is the file's key-value metadata {@value ParquetScanFile#HEADER_KEY}. Uncompressed: vectors and hashes do
 * not compress, and Parquet's codecs would need Hadoop's native codec classes (docs/DECISIONS.md).
 */
public final class ParquetScanWriter implements ScanSink {
    /** Rows per row group are bounded by bytes: 64 MB keeps a reader's memory small (a face row is ≈ 2.2 kB). */
    static final long ROW_GROUP_BYTES = 64L << 20;

    private final ParquetWriter<ScanRecord> writer;

    public ParquetScanWriter(Path file, ScanHeader header) throws IOException {
        if (Files.isSymbolicLink(file)) {
            throw new IOException(file + ": refusing to write through a symbolic link");
        }
        Files.deleteIfExists(file); // LocalOutputFile creates; OVERWRITE mode truncates an existing one
        // created owner-only before any vector is written (every face's embedding: docs/REGISTRY.md)
        Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        org.likeness.files.PrivateFiles.restrict(file);
        this.writer = new Builder(new LocalOutputFile(file), header)
                .withConf(new PlainParquetConfiguration())
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .withCompressionCodec(CompressionCodecName.UNCOMPRESSED)
                .withRowGroupSize(ROW_GROUP_BYTES)
                .build();
    }

    @Override
    public void write(ScanRecord r) throws IOException {
        writer.write(r);
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }

    private static final class Builder extends ParquetWriter.Builder<ScanRecord, Builder> {
        private final ScanHeader header;

        Builder(OutputFile file, ScanHeader header) {
            super(file);
            this.header = header;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<ScanRecord> getWriteSupport(org.apache.hadoop.conf.Configuration conf) {
            return new Support(header);
        }

        @Override
        protected WriteSupport<ScanRecord> getWriteSupport(ParquetConfiguration conf) {
            return new Support(header);
        }
    }

    /** One image's record → its rows, field by field in {@link ParquetScanFile#SCHEMA} order. */
    private static final class Support extends WriteSupport<ScanRecord> {
        private final ScanHeader header;
        private RecordConsumer out;

        Support(ScanHeader header) {
            this.header = header;
        }

        @Override
        public WriteContext init(org.apache.hadoop.conf.Configuration configuration) {
            return context();
        }

        @Override
        public WriteContext init(ParquetConfiguration configuration) {
            return context();
        }

        private WriteContext context() {
            try {
                return new WriteContext(ParquetScanFile.SCHEMA, Map.of(ParquetScanFile.HEADER_KEY, ScanFile.headerLine(header)));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public void prepareForWrite(RecordConsumer recordConsumer) {
            this.out = recordConsumer;
        }

        @Override
        public void write(ScanRecord r) {
            if (r.faces().isEmpty()) {
                row(r, -1, null);
            }
            for (int i = 0; i < r.faces().size(); i++) {
                row(r, i, r.faces().get(i));
            }
        }

        private void row(ScanRecord r, int index, Face f) {
            out.startMessage();
            string(0, "path", r.path());
            string(1, "sha256", r.sha256());
            string(2, "format", r.format());
            integer(3, "width", r.width());
            integer(4, "height", r.height());
            if (r.pdq() != null) {
                out.startField("pdq", 5);
                out.addBinary(Binary.fromConstantByteArray(HexFormat.of().parseHex(r.pdq())));
                out.endField("pdq", 5);
            }
            if (r.pdqQuality() >= 0) {
                integer(6, "pdq_quality", r.pdqQuality());
            }
            string(7, "error", r.error());
            integer(8, "faces", r.faces().size());
            if (f != null) {
                integer(9, "face", index);
                // the precision of the JSON-lines scan (ScanFile), so both files hold the same numbers
                real(10, "box_x", ScanFile.round1(f.box().x()));
                real(11, "box_y", ScanFile.round1(f.box().y()));
                real(12, "box_w", ScanFile.round1(f.box().w()));
                real(13, "box_h", ScanFile.round1(f.box().h()));
                real(14, "score", ScanFile.round4(f.score()));
                float[] lm = new float[2 * Landmarks.POINTS];
                for (int i = 0; i < Landmarks.POINTS; i++) {
                    lm[2 * i] = ScanFile.round1(f.landmarks().x(i));
                    lm[2 * i + 1] = ScanFile.round1(f.landmarks().y(i));
                }
                list(15, "landmarks", lm);
                real(16, "quality", ScanFile.round4(f.quality().score()));
                real(17, "eye_px", ScanFile.round1(f.quality().eyePixels()));
                real(18, "sharpness", ScanFile.round1(f.quality().sharpness()));
                list(19, "embedding", f.embedding().vector());
            }
            out.endMessage();
        }

        private void string(int index, String name, String value) {
            if (value != null) {
                out.startField(name, index);
                out.addBinary(Binary.fromString(value));
                out.endField(name, index);
            }
        }

        private void integer(int index, String name, int value) {
            out.startField(name, index);
            out.addInteger(value);
            out.endField(name, index);
        }

        private void real(int index, String name, float value) {
            out.startField(name, index);
            out.addFloat(value);
            out.endField(name, index);
        }

        /** The three-level LIST of the Parquet spec: group (LIST) { repeated group list { required float element } }. */
        private void list(int index, String name, float[] values) {
            out.startField(name, index);
            out.startGroup();
            out.startField("list", 0);
            for (float v : values) {
                out.startGroup();
                out.startField("element", 0);
                out.addFloat(v);
                out.endField("element", 0);
                out.endGroup();
            }
            out.endField("list", 0);
            out.endGroup();
            out.endField(name, index);
        }
    }
}
