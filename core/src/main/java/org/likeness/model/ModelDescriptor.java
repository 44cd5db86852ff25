package org.likeness.model;

import org.likeness.json.Json;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * What a user-supplied ONNX model is and how to feed it, read from {@code MODEL.json} beside {@code MODEL.onnx}:
 * <pre>
 * detector: {"family": "yunet" | "ultraface" | "blazeface-128" | "blazeface-256"}
 * embedder: {"family": "embedder", "size": 112, "layout": "NCHW", "channels": "RGB", "mean": 127.5, "std": 128}
 * </pre>
 * Embedders are aligned to the ArcFace 5-point template scaled to {@code size}. The id written into scans is
 * {@code custom-<file name>-<first 12 hex of the file's sha256>}, so vectors of different files are never compared.
 */
public record ModelDescriptor(String id, Path onnx, String family, int size, boolean nchw, boolean rgb, float mean, float std) {
    public static final Set<String> DETECTOR_FAMILIES = Set.of("yunet", "ultraface", "blazeface-128", "blazeface-256");

    public static ModelDescriptor read(Path onnx) {
        if (!Files.isRegularFile(onnx)) {
            throw new ModelException(onnx + ": no such model file");
        }
        String name = onnx.getFileName().toString();
        Path json = onnx.resolveSibling(name.replaceFirst("\\.onnx$", "") + ".json");
        if (!Files.isRegularFile(json)) {
            throw new ModelException(onnx + ": needs a descriptor " + json.getFileName()
                    + " saying what it is, e.g. {\"family\": \"yunet\"} or {\"family\": \"embedder\", \"size\": 112, \"layout\": \"NCHW\", \"channels\": \"RGB\", \"mean\": 127.5, \"std\": 128}");
        }
        try {
            JsonNode d = Json.MAPPER.readTree(json.toFile());
            String family = d.path("family").asText("").toLowerCase(Locale.ROOT);
            if (!family.equals("embedder") && !DETECTOR_FAMILIES.contains(family)) {
                throw new ModelException(json + ": unknown family '" + family + "'; use embedder or one of " + DETECTOR_FAMILIES);
            }
            String id = "custom-" + name.replaceFirst("\\.onnx$", "") + "-" + Sha256.of(onnx).substring(0, 12);
            return new ModelDescriptor(id, onnx, family, d.path("size").asInt(112),
                    !d.path("layout").asText("NCHW").equalsIgnoreCase("NHWC"),
                    !d.path("channels").asText("RGB").equalsIgnoreCase("BGR"),
                    (float) d.path("mean").asDouble(127.5), (float) d.path("std").asDouble(128.0));
        } catch (IOException e) {
            throw new ModelException(json + ": not a readable JSON descriptor: " + e.getMessage(), e);
        }
    }

    public boolean isDetector() {
        return DETECTOR_FAMILIES.contains(family);
    }
}
