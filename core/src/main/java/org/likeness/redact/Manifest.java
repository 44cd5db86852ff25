package org.likeness.redact;

import org.likeness.json.Json;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code OUT/manifest.json} (docs/FORMATS.md): every file of the dataset and what the copy holds for it. Written last,
 * holds no time stamps, so an interrupted-and-resumed run writes the same manifest as an uninterrupted one.
 */
public record Manifest(String dataset, String plan, String mode, List<String> keep, List<ManifestEntry> images) {
    public static final String FILE_NAME = "manifest.json";

    public Manifest {
        keep = List.copyOf(keep);
        images = List.copyOf(images);
    }

    public long count(String action) {
        return images.stream().filter(e -> e.action().equals(action)).count();
    }

    public int facesChanged() {
        return images.stream().mapToInt(ManifestEntry::facesChanged).sum();
    }

    public Map<String, Object> json() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("dataset", dataset);
        o.put("plan", plan);
        o.put("mode", mode);
        o.put("keep", keep);
        o.put("complete", true);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("images", images.size());
        for (String a : List.of(ManifestEntry.COPIED, ManifestEntry.REDACTED, ManifestEntry.DROPPED, ManifestEntry.WITHHELD)) {
            summary.put(a, count(a));
        }
        summary.put("faces_changed", facesChanged());
        o.put("summary", summary);
        List<Map<String, Object>> list = new ArrayList<>();
        for (ManifestEntry e : images) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", e.path());
            m.put("action", e.action());
            m.put("faces", e.faces());
            m.put("faces_changed", e.facesChanged());
            m.put("sha256_before", e.sha256Before());
            m.put("sha256_after", e.sha256After());
            if (e.reason() != null) {
                m.put("reason", e.reason());
            }
            list.add(m);
        }
        o.put("images", list);
        return o;
    }

    void write(Path file) throws IOException {
        byte[] bytes = Json.PRETTY.writeValueAsBytes(json());
        org.likeness.scan.OutputTree.writeFile(file, bytes);
    }
}
