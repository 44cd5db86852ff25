package org.likeness.scan;

/**
 * One file of a dataset: its path inside the dataset and either its bytes or the reason it could not be read.
 *
 * @param path  relative path with '/' separators (the name users see in reports)
 * @param bytes the content, or null when {@code error} is set
 * @param error why the entry could not be read (zip slip, bomb, permissions…), or null
 */
public record DatasetEntry(String path, byte[] bytes, String error) {
    public DatasetEntry {
        if (path == null || (bytes == null) == (error == null)) {
            throw new IllegalArgumentException("a dataset entry has a path and exactly one of bytes or error");
        }
    }

    public static DatasetEntry ok(String path, byte[] bytes) {
        return new DatasetEntry(path, bytes, null);
    }

    public static DatasetEntry failed(String path, String error) {
        return new DatasetEntry(path, null, error);
    }

    /**
     * Where an entry's path lies under another folder (a copy, a release, the dataset itself), refusing any path that
     * would leave it ({@code ..}, absolute paths) or name the folder itself.
     */
    public static java.nio.file.Path under(java.nio.file.Path root, String path) throws java.io.IOException {
        java.nio.file.Path base = root.normalize();
        java.nio.file.Path target = root.resolve(path).normalize();
        if (!target.startsWith(base) || target.equals(base)) {
            throw new java.io.IOException(path + ": refusing a path outside " + root);
        }
        return target;
    }
}
