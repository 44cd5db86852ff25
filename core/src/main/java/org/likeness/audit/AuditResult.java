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

    /** Keys of {@link #counts} besides the statuses' words. */
    static final String IMAGES = "images", FACES = "faces", IDENTITIES = "identities", FAILED = "failed";

    /** Files read, failed ones included. */
    public int imageCount() {
        return counts.getOrDefault(IMAGES, 0);
    }

    public int faceCount() {
        return counts.getOrDefault(FACES, 0);
    }

    public int identityCount() {
        return counts.getOrDefault(IDENTITIES, 0);
    }

    /** Files that could not be audited. */
    public int failedCount() {
        return counts.getOrDefault(FAILED, 0);
    }

    /** Faces with this status. */
    public int count(AuditStatus status) {
        return counts.getOrDefault(status.word(), 0);
    }

    /** The summary in file order: images, faces, identities, one per status, failed. */
    public java.util.LinkedHashMap<String, Integer> summary() {
        java.util.LinkedHashMap<String, Integer> m = new java.util.LinkedHashMap<>();
        m.put(IMAGES, imageCount());
        m.put(FACES, faceCount());
        m.put(IDENTITIES, identityCount());
        AuditStatus.ALL.forEach(s -> m.put(s.word(), count(s)));
        m.put(FAILED, failedCount());
        return m;
    }
}
