package org.likeness.scan;

import java.io.IOException;

/** Where a scan's records go, in dataset order: a JSON-lines file ({@link ScanWriter}) or a Parquet file ({@link ParquetScanWriter}). */
public interface ScanSink extends AutoCloseable {
    void write(ScanRecord r) throws IOException;

    @Override
    void close() throws IOException;

    /** The sink for {@code file}'s name: {@code .parquet} → Parquet, anything else → JSON lines (gzip when it ends in .gz). */
    static ScanSink open(java.nio.file.Path file, ScanHeader header) throws IOException {
        return ParquetScanFile.isParquet(file) ? new ParquetScanWriter(file, header) : new ScanWriter(file, header);
    }
}
