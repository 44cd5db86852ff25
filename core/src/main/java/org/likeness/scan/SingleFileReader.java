package org.likeness.scan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.NoSuchElementException;

/** A dataset of one image file. */
final class SingleFileReader implements DatasetReader {
    private final Path file;
    private boolean done;

    SingleFileReader(Path file) {
        this.file = file;
    }

    @Override
    public boolean hasNext() {
        return !done;
    }

    @Override
    public DatasetEntry next() {
        if (done) {
            throw new NoSuchElementException();
        }
        done = true;
        return FolderReader.read(file, file.getFileName().toString());
    }

    @Override
    public void close() {
    }

}
