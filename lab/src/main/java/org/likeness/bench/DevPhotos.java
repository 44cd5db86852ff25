package org.likeness.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The LFW development photos under the shared data folder ({@code -Dlikeness.shared}, default {@code ../shared}). */
final class DevPhotos {

    private DevPhotos() {
    }

    static Path imagesDir() {
        Path dir = Path.of(System.getProperty("likeness.shared", "../shared")).toAbsolutePath().normalize()
                .resolve("data/lfw-dev/images");
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("LFW development photos not found at " + dir
                    + "; run from the project folder next to shared/ or pass -Dlikeness.shared=/path/to/shared");
        }
        return dir;
    }

    /** All photos, sorted by path. */
    static List<Path> all() {
        try (Stream<Path> files = Files.walk(imagesDir())) {
            return files.filter(p -> p.toString().endsWith(".jpg")).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + imagesDir(), e);
        }
    }

    /** {@code n} photos spread evenly over the sorted list (deterministic). */
    static List<Path> sample(int n) {
        List<Path> all = all();
        if (n >= all.size()) {
            return all;
        }
        return java.util.stream.IntStream.range(0, n).mapToObj(i -> all.get((int) ((long) i * all.size() / n)))
                .collect(Collectors.toList());
    }
}
