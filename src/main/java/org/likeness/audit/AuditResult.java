package org.likeness.audit;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything an audit decided, ready to be written as findings.json / findings.csv / report.html.
 *
 * @param counts summary counts: images, faces, identities, one per status, failed
 * @param images  every file read, failed ones included (sha256 null when unreadable)
 */
public record AuditResult(String dataset, String purpose, Instant at, Map<String, String> models, String registryHead,
                          double threshold, Map<String, Integer> counts, List<Finding> faces, List<Identity> identities,
                          List<Failure> failures, List<Image> images) {
    public AuditResult {
        images = List.copyOf(images);
        counts = Map.copyOf(counts);
        faces = List.copyOf(faces);
        identities = List.copyOf(identities);
        failures = List.copyOf(failures);
    }

    /** A file that was audited: its content hash (so a later step can tell it has not changed) and its face count. */
    public record Image(String path, String sha256, int faces) {
    }

    /** A file that could not be audited, and why. */
    public record Failure(String path, String reason) {
    }

    /** True when every face found is covered by consent and every file could be read. */
    public boolean allConsented() {
        return faces.stream().allMatch(Finding::consented) && failures.isEmpty();
    }

    public int count(String key) {
        return counts.getOrDefault(key, 0);
    }
}
