package org.likeness.scan;

import org.likeness.image.ImageFormat;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Shards of a web-scale dataset, in name order: WebDataset tar shards as img2dataset writes them ({@code 00000.tar}
 * holding {@code KEY.jpg|png|webp} with {@code KEY.json} and {@code KEY.txt} beside each image) and Parquet tables of
 * image bytes ({@link ParquetImageReader}). Entry names are {@code SHARD/MEMBER}. A shard's own metadata is not an
 * image and is left out: a member {@code KEY.json}/{@code KEY.txt} whose bytes are not a picture, and the per-shard
 * {@code 00000.parquet} index and {@code 00000_stats.json} beside {@code 00000.tar}. Every other member is read, so a
 * non-image member fails to decode and is reported, never skipped. Any other file among the shards is read as a file.
 */
final class WebDatasetReader implements DatasetReader {
    /** Sidecar extensions of img2dataset (caption, metadata); skipped only when their bytes are not a picture. */
    static final Set<String> SIDECARS = Set.of("json", "txt");

    private final Iterator<Path> files;
    private DatasetReader current;
    private String prefix;
    private DatasetEntry next;

    WebDatasetReader(List<Path> shards) {
        List<Path> sorted = new ArrayList<>(shards);
        sorted.sort(null);
        List<Path> kept = new ArrayList<>();
        for (Path p : sorted) {
            if (!isShardMetadata(p)) {
                kept.add(p);
            }
        }
        this.files = kept.iterator();
    }

    /** True for a directory whose top level holds any {@code .tar} or {@code .parquet} file: read as shards. */
    static boolean isShardFolder(Path dir) throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && isShard(p)) {
                    return true;
                }
            }
        }
        return false;
    }

    static boolean isShard(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".tar") || n.endsWith(".parquet");
    }

    /** Every entry of the folder's top level (sub-folders come back as failed entries: shards are not nested). */
    static List<Path> folder(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(out::add);
        }
        return out;
    }

    /** The files matching a glob in the last name ({@code data/0000*.tar}, {@code data/{00000,00001}.tar}). */
    static List<Path> glob(Path pattern) throws IOException {
        Path dir = pattern.toAbsolutePath().getParent();
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + pattern.getFileName());
        List<Path> out = new ArrayList<>();
        if (dir != null && Files.isDirectory(dir)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                for (Path p : ds) {
                    if (m.matches(p.getFileName())) {
                        out.add(pattern.getParent() == null ? p.getFileName() : pattern.getParent().resolve(p.getFileName()));
                    }
                }
            }
        }
        if (out.isEmpty()) {
            throw new IOException(pattern + ": no file matches");
        }
        return out;
    }

    static boolean isGlob(Path p) {
        String n = p.getFileName() == null ? "" : p.getFileName().toString();
        return n.contains("*") || n.contains("?") || n.contains("[") || n.contains("{");
    }

    /** img2dataset's per-shard index (00000.parquet) and statistics (00000_stats.json) beside 00000.tar. */
    private static boolean isShardMetadata(Path p) {
        String n = p.getFileName().toString();
        String lower = n.toLowerCase(Locale.ROOT);
        String stem = lower.endsWith(".parquet") ? n.substring(0, n.length() - ".parquet".length())
                : lower.endsWith("_stats.json") ? n.substring(0, n.length() - "_stats.json".length()) : null;
        return stem != null && Files.isRegularFile(p.resolveSibling(stem + ".tar"), LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public boolean hasNext() {
        while (next == null) {
            if (current != null && current.hasNext()) {
                DatasetEntry e = current.next();
                if (!isSidecar(e)) {
                    next = e.error() == null ? DatasetEntry.ok(prefix + e.path(), e.bytes())
                            : DatasetEntry.failed(e.path().endsWith("!") ? e.path() : prefix + e.path(), e.error()); // SHARD.tar! names the shard
                }
                continue;
            }
            closeCurrent();
            if (!files.hasNext()) {
                return false;
            }
            open(files.next());
        }
        return true;
    }

    private void open(Path p) {
        String name = p.getFileName().toString();
        String lower = name.toLowerCase(Locale.ROOT);
        if (Files.isSymbolicLink(p)) {
            current = null;
            next = DatasetEntry.failed(name, FolderReader.SYMLINK);
        } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            current = null;
            next = DatasetEntry.failed(name + "/", "folder among the shards: not checked (give it as a dataset of its own)");
        } else if (lower.endsWith(".tar")) {
            prefix = name + "/";
            try {
                current = new ArchiveReader(p, ArchiveReader.Kind.TAR);
            } catch (IOException e) {
                current = null;
                next = DatasetEntry.failed(name, e.getMessage());
            }
        } else if (lower.endsWith(".parquet")) {
            prefix = "";
            current = new ParquetImageReader(p, name);
        } else {
            current = null;
            next = FolderReader.read(p, name);
        }
    }

    /** A caption or metadata member: named KEY.json / KEY.txt, and not a picture whatever its name says. */
    private boolean isSidecar(DatasetEntry e) {
        if (e.error() != null || prefix.isEmpty()) {
            return false;
        }
        String n = e.path();
        int dot = n.lastIndexOf('.');
        return dot > 0 && SIDECARS.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT)) && ImageFormat.sniff(e.bytes()) == ImageFormat.UNKNOWN;
    }

    private void closeCurrent() {
        if (current != null) {
            try {
                current.close();
            } catch (IOException ignored) {
                // read to the end already; nothing left to lose
            }
            current = null;
        }
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
    public void close() {
        closeCurrent();
    }
}
