package org.likeness.redact;

import org.likeness.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.likeness.face.Box;
import org.likeness.model.Sha256;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which faces of which images to anonymise: built from an audit's findings.json (faces whose status is not kept) or from
 * a registered collection under current consent. Fail closed: a file the plan does not know is withheld from the copy.
 *
 * @param source   what the plan came from (a findings file or a collection), for the manifest
 * @param identity a hash that changes whenever the plan would (a resumed run must use the same plan)
 * @param keep     statuses whose faces stay as they are
 * @param images   by path
 * @param failures files the audit could not read, by path, with its reason
 */
public record RedactionPlan(String source, String identity, Set<String> keep, Map<String, PlannedImage> images,
                            Map<String, String> failures) {
    public RedactionPlan {
        keep = Set.copyOf(keep);
        images = Map.copyOf(images);
        failures = Map.copyOf(failures);
    }

    /** Reads findings.json (docs/FORMATS.md); every face whose status is not in {@code keep} is redacted. */
    public static RedactionPlan fromFindings(Path findings, Set<String> keep) throws IOException {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(findings.toFile());
        } catch (IOException e) {
            throw new IOException(findings + ": not a readable findings.json: " + firstLine(e.getMessage()), e);
        }
        if (root == null || !root.path("faces").isArray() || !root.path("images").isArray()) {
            throw new IOException(findings + ": no faces[] and images[] lists; write it with `likeness audit` (0.1 or later)");
        }
        Map<String, List<Box>> redact = new HashMap<>();
        Map<String, Integer> faceCount = new HashMap<>();
        Map<String, String> faceWhere = new HashMap<>();
        int index = 0;
        for (JsonNode f : root.path("faces")) {
            String path = f.path("path").asText(null);
            JsonNode b = f.path("box");
            String status = f.path("status").asText(null);
            String where = findings + ": faces[" + index++ + "]" + (path == null ? "" : " (" + path + ")");
            if (path == null || status == null || !b.isArray() || b.size() != 4) {
                throw new IOException(where + ": a face without path, status or a 4-number box: " + f);
            }
            Box box = box(where, b);
            faceCount.merge(path, 1, Integer::sum);
            faceWhere.putIfAbsent(path, where);
            if (!keep.contains(status)) {
                redact.computeIfAbsent(path, k -> new ArrayList<>()).add(box);
            }
        }
        Map<String, String> failures = new HashMap<>();
        for (JsonNode f : root.path("failures")) {
            failures.put(f.path("path").asText(), f.path("reason").asText());
        }
        Map<String, PlannedImage> images = new HashMap<>();
        for (JsonNode i : root.path("images")) {
            String path = i.path("path").asText(null);
            String sha = i.path("sha256").isTextual() ? i.path("sha256").asText() : null;
            if (path == null || sha == null || failures.containsKey(path)) {
                continue;
            }
            if (!sha.matches("[0-9a-fA-F]{64}")) {
                throw new IOException(findings + ": image " + path + ": \"sha256\" is not 64 hex digits");
            }
            // the audit writes both lists from the same faces: a count that disagrees means an entry was lost or removed
            JsonNode n = i.path("faces");
            if (!n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() < 0) {
                throw new IOException(findings + ": image " + path + ": \"faces\" is not a count: " + n);
            }
            int listed = faceCount.getOrDefault(path, 0);
            if (n.asInt() != listed) {
                throw new IOException(findings + ": image " + path + ": \"faces\" says " + n.asInt() + " but faces[] lists "
                        + listed + " for it");
            }
            if (images.containsKey(path)) {
                throw new IOException(findings + ": image " + path + " is listed twice in images[]");
            }
            images.put(path, new PlannedImage(path, sha, faceCount.getOrDefault(path, 0), redact.getOrDefault(path, List.of())));
        }
        for (var e : faceWhere.entrySet()) {
            if (!images.containsKey(e.getKey()) && !failures.containsKey(e.getKey())) {
                throw new IOException(e.getValue() + ": no such image in images[]");
            }
        }
        return new RedactionPlan(findings.toString(), Sha256.of(findings) + "/" + String.join(",", sorted(keep)), keep, images,
                failures);
    }

    /**
     * A plan from images whose faces' statuses were decided elsewhere (a registered collection under current consent).
     *
     * @param source names where it came from, e.g. "collection lab-a, training at 2026-11-26T10:00:00Z"
     * @param stable  the part of the source that identifies the plan across runs (e.g. "collection lab-a, training"):
     *                a resumed run is accepted when it and the decisions per image are the same, whatever the time
     */
    public static RedactionPlan of(String source, String stable, Set<String> keep, List<PlannedImage> images) {
        Map<String, PlannedImage> byPath = new HashMap<>();
        StringBuilder canonical = new StringBuilder(stable);
        for (PlannedImage i : images) {
            byPath.put(i.path(), i);
            canonical.append('\n').append(i.path()).append(' ').append(i.sha256()).append(' ').append(i.faces());
            i.redact().forEach(b -> canonical.append(' ').append(b));
        }
        String identity = Sha256.of(canonical.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return new RedactionPlan(source, identity + "/" + String.join(",", sorted(keep)), keep, byPath, Map.of());
    }

    /** A finding's box, checked: four finite numbers, a size above zero (a corrupt or forged file is named, not obeyed). */
    private static Box box(String where, JsonNode b) throws IOException {
        String[] field = {"x", "y", "width", "height"};
        double[] v = new double[4];
        for (int i = 0; i < 4; i++) {
            if (!b.get(i).isNumber() || !Double.isFinite(b.get(i).asDouble())) {
                throw new IOException(where + ": box " + field[i] + " is not a finite number: " + b.get(i));
            }
            v[i] = b.get(i).asDouble();
        }
        if (!(v[2] > 0) || !(v[3] > 0)) {
            throw new IOException(where + ": box " + (v[2] > 0 ? "height" : "width") + " must be above 0: " + b);
        }
        return new Box((float) v[0], (float) v[1], (float) v[2], (float) v[3]);
    }

    private static List<String> sorted(Set<String> s) {
        return new ArrayList<>(new java.util.TreeSet<>(s));
    }

    static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** The statuses accepted by {@code --keep}. */
    public static Set<String> parseKeep(String csv, List<String> known) {
        Set<String> out = new LinkedHashSet<>();
        for (String s : csv.split(",")) {
            String t = s.trim();
            if (!known.contains(t)) {
                throw new IllegalArgumentException("--keep: unknown status '" + t + "'; use one or more of " + String.join(", ", known));
            }
            out.add(t);
        }
        return out;
    }
}
