package org.likeness.scan;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;

/** A dataset given as a list of paths relative to a root (e.g. the images a pairs file names). */
final class ListReader implements DatasetReader {
    private final Path root;
    private final Iterator<String> paths;

    ListReader(Path root, List<String> paths) {
        this.root = root;
        this.paths = List.copyOf(paths).iterator();
    }

    @Override
    public boolean hasNext() {
        return paths.hasNext();
    }

    @Override
    public DatasetEntry next() {
        String rel = paths.next();
        return FolderReader.read(root.resolve(rel), rel);
    }

    @Override
    public void close() {
    }
}
