package org.likeness.scan;

import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Reads a local Parquet file row by row without a Hadoop file system or configuration (LocalInputFile,
 * PlainParquetConfiguration), one row group in memory at a time, optionally only some columns.
 */
final class ParquetTables implements Iterator<Group>, AutoCloseable {
    private final ParquetFileReader reader;
    private final MessageType schema;
    private final MessageType fileSchema;
    private RecordReader<Group> rows;
    private long left;
    private boolean ended;

    private ParquetTables(ParquetFileReader reader, MessageType projection) {
        this.reader = reader;
        this.fileSchema = reader.getFooter().getFileMetaData().getSchema();
        this.schema = projection == null ? fileSchema : projection;
        if (projection != null) {
            reader.setRequestedSchema(projection);
        }
    }

    /** Opens the file and reads its footer (throws on a file that is not Parquet or is cut short). */
    static ParquetFileReader footer(Path file) throws IOException {
        return ParquetFileReader.open(new LocalInputFile(file), ParquetReadOptions.builder(new PlainParquetConfiguration()).build());
    }

    /** Rows of an open file, only the {@code projection}'s columns (null: all). The iterator owns the reader. */
    static ParquetTables rows(ParquetFileReader reader, MessageType projection) {
        return new ParquetTables(reader, projection);
    }

    MessageType fileSchema() {
        return fileSchema;
    }

    /** Throws an unchecked exception when a row group is corrupt (the caller turns it into a failed entry). */
    @Override
    public boolean hasNext() {
        while (left == 0 && !ended) {
            try {
                PageReadStore pages = reader.readNextRowGroup();
                if (pages == null) {
                    ended = true;
                    return false;
                }
                left = pages.getRowCount();
                rows = new ColumnIOFactory().getColumnIO(schema, fileSchema).getRecordReader(pages, new GroupRecordConverter(schema));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return left > 0;
    }

    @Override
    public Group next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        left--;
        return rows.read();
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
