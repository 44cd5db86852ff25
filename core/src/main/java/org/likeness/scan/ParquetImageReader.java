package org.likeness.scan;

import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

import java.io.IOException;
import java.nio.file.Path;
import java.util.NoSuchElementException;
import java.util.stream.Collectors;

/**
 * The images of a Parquet table in the layout Hugging Face {@code datasets} writes: a struct column with a binary
 * {@code bytes} field and a string {@code path} field (the {@code Image} feature). Only that column is read, one row
 * group at a time. Entry names are {@code FILE.parquet/ROW/PATH} (or {@code FILE.parquet/ROW} without a path), so a
 * finding points at a row. A file that is not Parquet, or has no such column, is one failed entry naming the reason.
 */
final class ParquetImageReader implements DatasetReader {
    private final String name;
    private ParquetTables rows;
    private String column;
    private DatasetEntry next;
    private long row;
    private boolean ended;

    ParquetImageReader(Path file, String name) {
        this.name = name;
        ParquetFileReader reader = null;
        try {
            reader = ParquetTables.footer(file);
            MessageType schema = reader.getFooter().getFileMetaData().getSchema();
            column = imageColumn(schema);
            if (column == null) {
                reader.close();
                ended = true;
                next = DatasetEntry.failed(name, "wrong schema: no image column (a struct with a binary 'bytes' field, as Hugging Face"
                        + " datasets writes); columns: " + schema.getFields().stream().map(ParquetImageReader::describe)
                        .collect(Collectors.joining(", ")));
                return;
            }
            rows = ParquetTables.rows(reader, new MessageType(schema.getName(), schema.getType(column)));
        } catch (IOException | RuntimeException e) {
            closeQuietly(reader);
            ended = true;
            next = DatasetEntry.failed(name, "not a readable Parquet file: " + describe(e));
        }
    }

    /** The first top-level struct with a binary {@code bytes} field, preferring one named {@code image}; or null. */
    static String imageColumn(MessageType schema) {
        String found = null;
        for (Type t : schema.getFields()) {
            if (!t.isPrimitive() && !t.isRepetition(Type.Repetition.REPEATED) && hasBinary(t.asGroupType(), "bytes")) {
                if (t.getName().equals("image")) {
                    return t.getName();
                }
                found = found == null ? t.getName() : found;
            }
        }
        return found;
    }

    private static boolean hasBinary(GroupType g, String field) {
        return g.containsField(field) && g.getType(field).isPrimitive()
                && g.getType(field).asPrimitiveType().getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.BINARY
                && !g.getType(field).isRepetition(Type.Repetition.REPEATED);
    }

    private static String describe(Type t) {
        return t.getName() + " " + (t.isPrimitive() ? t.asPrimitiveType().getPrimitiveTypeName().name().toLowerCase() : "struct");
    }

    /** One line: the exception's message, or its kind. */
    static String describe(Exception e) {
        Throwable t = e instanceof java.io.UncheckedIOException u ? u.getCause() : e;
        String m = t.getMessage();
        m = m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
        m = m.replaceAll("\\s+", " ");
        return m.length() > 200 ? m.substring(0, 200) + "…" : m;
    }

    @Override
    public boolean hasNext() {
        if (next == null && !ended) {
            try {
                if (!rows.hasNext()) {
                    ended = true;
                    return false;
                }
                Group g = rows.next();
                next = entry(row++, g);
            } catch (RuntimeException e) {
                ended = true;
                next = DatasetEntry.failed(name + "!", "Parquet file is corrupt or truncated after " + row + " rows: " + describe(e));
            }
        }
        return next != null;
    }

    private DatasetEntry entry(long r, Group g) {
        if (g.getFieldRepetitionCount(column) == 0) {
            return DatasetEntry.failed(name + "/" + r, "row has no image (" + column + " is null)");
        }
        Group image = g.getGroup(column, 0);
        String path = image.getType().containsField("path") && image.getFieldRepetitionCount("path") > 0
                && image.getType().getType("path").isPrimitive() ? image.getString("path", 0) : null;
        String label = name + "/" + r + (path == null || path.isEmpty() ? "" : "/" + path);
        if (image.getFieldRepetitionCount("bytes") == 0) {
            return DatasetEntry.failed(label, "row has no image bytes (bytes is null)");
        }
        Binary b = image.getBinary("bytes", 0);
        if (b.length() > MAX_ENTRY_BYTES) {
            return DatasetEntry.failed(label, "image of " + b.length() + " bytes exceeds the " + MAX_ENTRY_BYTES + "-byte limit");
        }
        return DatasetEntry.ok(label, b.getBytes());
    }

    @Override
    public DatasetEntry next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        DatasetEntry e = next;
        next = null;
        return e;
    }

    @Override
    public void close() throws IOException {
        if (rows != null) {
            rows.close();
        }
    }

    private static void closeQuietly(ParquetFileReader r) {
        if (r != null) {
            try {
                r.close();
            } catch (IOException ignored) {
                // the reason already reported is why it was opened
            }
        }
    }
}
