package org.likeness.scan;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Walks a folder depth-first in sorted order, one directory listing in memory at a time. Hidden files and folders
 * (".name") are read like any other, as in an archive: a seller can hide photos there. Symbolic links are never
 * followed (they could point outside the dataset) and FIFOs, sockets and devices never opened: each comes back as a
 * failed entry, "not checked", so that an audit cannot pass over it silently (docs/DECISIONS.md).
 */
final class FolderReader implements DatasetReader {
    static final String SYMLINK = "symbolic link, not followed: not checked";
    static final String NOT_REGULAR = "not a regular file (FIFO, socket or device): not checked";

    private final Path root;
    private final Deque<Iterator<Path>> stack = new ArrayDeque<>();
    private DatasetEntry next;

    FolderReader(Path root) throws IOException {
        this.root = root;
        stack.push(sortedChildren(root).iterator());
    }

    private static List<Path> sortedChildren(Path dir) throws IOException {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                children.add(p);
            }
        }
        children.sort(null);
        return children;
    }

    @Override
    public boolean hasNext() {
        while (next == null && !stack.isEmpty()) {
            Iterator<Path> it = stack.peek();
            if (!it.hasNext()) {
                stack.pop();
                continue;
            }
            Path p = it.next();
            String rel = relative(root, p);
            if (Files.isSymbolicLink(p)) {
                next = DatasetEntry.failed(rel, SYMLINK);
                continue;
            }
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    stack.push(sortedChildren(p).iterator());
                } catch (IOException e) {
                    next = DatasetEntry.failed(rel + "/", "cannot list folder: " + reason(e));
                }
            } else if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                next = DatasetEntry.failed(rel, NOT_REGULAR);
            } else {
                next = read(p, rel);
            }
        }
        return next != null;
    }

    /** The path's names joined by '/': a backslash is part of a name on this system, never a separator. */
    static String relative(Path root, Path p) {
        StringBuilder b = new StringBuilder();
        for (Path part : root.relativize(p)) {
            if (b.length() > 0) {
                b.append('/');
            }
            b.append(part);
        }
        return b.toString();
    }

    /**
     * Reads one regular file; never opens a FIFO, socket or device (a FIFO blocks the read for ever, /dev/zero never
     * ends). A link named explicitly (a --list line, the dataset itself) is followed to a regular file; links met while
     * walking a folder never reach here.
     */
    static DatasetEntry read(Path p, String rel) {
        if (Files.exists(p) && !Files.isRegularFile(p)) {
            return DatasetEntry.failed(rel, Files.isDirectory(p) ? "a folder, not a file: not checked" : NOT_REGULAR);
        }
        try {
            long size = Files.size(p);
            if (size > MAX_ENTRY_BYTES) {
                return DatasetEntry.failed(rel, "file of " + size + " bytes exceeds the " + MAX_ENTRY_BYTES + "-byte limit");
            }
            return DatasetEntry.ok(rel, Files.readAllBytes(p));
        } catch (IOException e) {
            return DatasetEntry.failed(rel, "cannot read: " + reason(e));
        }
    }

    static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
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
        stack.clear();
    }
}
