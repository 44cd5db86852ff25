package org.likeness.scan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;

/**
 * Streams the entries of a dataset in a stable order, one at a time, so memory stays bounded whatever its size.
 * Entries that cannot be read safely come back as failed entries, never as exceptions.
 */
public interface DatasetReader extends Iterator<DatasetEntry>, AutoCloseable {
    /** Entries larger than this are refused unread (256 MB: see ImageDecoder.MAX_FILE_BYTES). */
    long MAX_ENTRY_BYTES = org.likeness.image.ImageDecoder.MAX_FILE_BYTES;

    @Override
    void close() throws IOException;

    /** The listed files under {@code root}, in the given order; a missing file becomes a failed entry. */
    static DatasetReader ofFiles(Path root, java.util.List<String> relativePaths) {
        return new ListReader(root, relativePaths);
    }

    /** Opens a folder, .zip, .tar, .tar.gz or .tgz. */
    static DatasetReader open(Path dataset) throws IOException {
        if (Files.isDirectory(dataset)) {
            return new FolderReader(dataset);
        }
        if (!Files.isRegularFile(dataset)) {
            throw new IOException(dataset + ": no such folder or archive");
        }
        String n = dataset.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".zip")) {
            return new ArchiveReader(dataset, ArchiveReader.Kind.ZIP);
        }
        if (n.endsWith(".tar")) {
            return new ArchiveReader(dataset, ArchiveReader.Kind.TAR);
        }
        if (n.endsWith(".tar.gz") || n.endsWith(".tgz")) {
            return new ArchiveReader(dataset, ArchiveReader.Kind.TAR_GZ);
        }
        return new SingleFileReader(dataset);
    }
}
