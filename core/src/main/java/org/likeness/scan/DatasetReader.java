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

    /** True when {@link #open} can open it: it exists, or it is a glob that matches at least one file. */
    static boolean exists(Path dataset) {
        if (Files.exists(dataset)) {
            return true;
        }
        try {
            return WebDatasetReader.isGlob(dataset) && !WebDatasetReader.glob(dataset).isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    /** The shards (or other files) a folder or glob of shards is read from, in order; null when it is not one. */
    /** (Spark jobs split a dataset by shard.) */
    static java.util.List<Path> shards(Path dataset) throws IOException {
        java.util.List<Path> files;
        if (!Files.exists(dataset) && WebDatasetReader.isGlob(dataset)) {
            files = WebDatasetReader.glob(dataset);
        } else if (Files.isDirectory(dataset) && WebDatasetReader.isShardFolder(dataset)) {
            files = WebDatasetReader.folder(dataset);
        } else if (Files.isRegularFile(dataset) && WebDatasetReader.isShard(dataset)) {
            files = java.util.List.of(dataset);
        } else {
            return null;
        }
        return files.stream().sorted().toList();
    }

    /** Shards (WebDataset .tar, Parquet image tables) read one after the other, entries named SHARD/MEMBER. */
    static DatasetReader ofShards(java.util.List<Path> shards) {
        return new WebDatasetReader(shards);
    }

    /** The listed files under {@code root}, in the given order; a missing file becomes a failed entry. */
    static DatasetReader ofFiles(Path root, java.util.List<String> relativePaths) {
        return new ListReader(root, relativePaths);
    }

    /**
     * Opens a folder, .zip, .tar, .tar.gz, .tgz, a Parquet table of images, a folder of shards (any top-level .tar or
     * .parquet: WebDataset / img2dataset or Hugging Face layout, {@link WebDatasetReader}) or a glob of shards
     * ({@code data/0000*.tar}).
     */
    static DatasetReader open(Path dataset) throws IOException {
        if (!Files.exists(dataset) && WebDatasetReader.isGlob(dataset)) {
            return new WebDatasetReader(WebDatasetReader.glob(dataset));
        }
        if (Files.isDirectory(dataset)) {
            return WebDatasetReader.isShardFolder(dataset) ? new WebDatasetReader(WebDatasetReader.folder(dataset))
                    : new FolderReader(dataset);
        }
        if (!Files.isRegularFile(dataset)) {
            throw new IOException(dataset + ": no such folder or archive");
        }
        String n = dataset.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".parquet")) {
            return new WebDatasetReader(java.util.List.of(dataset));
        }
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
