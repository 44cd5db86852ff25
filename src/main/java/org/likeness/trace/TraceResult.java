package org.likeness.trace;

import org.likeness.fingerprint.FingerprintDetector;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A whole trace: every suspect photo, and the per-dataset evidence — how many photos are copies of each collection and
 * how many carry each recipient's mark (each at a false-accusation bound of {@link FingerprintDetector#FALSE_ACCUSATION_PER_IMAGE}).
 *
 * @param tested per collection, the suspect photos that were tested for its recipients' marks
 */
public record TraceResult(String suspect, List<TracedImage> images, Map<String, Integer> collections, Map<String, Integer> recipients,
                          Map<String, Integer> tested, int matchedByPdq, int matchedByPdqAligned, int matchedByFace, int identityOnly, int unmatched,
                          int failed) {
    public TraceResult {
        images = List.copyOf(images);
        collections = Map.copyOf(collections);
        recipients = Map.copyOf(recipients);
        tested = Map.copyOf(tested);
    }

    static TraceResult of(String suspect, List<TracedImage> images) {
        Map<String, Integer> collections = new TreeMap<>();
        Map<String, Integer> recipients = new TreeMap<>();
        Map<String, Integer> tested = new TreeMap<>();
        int pdq = 0;
        int pdqAligned = 0;
        int face = 0;
        int identityOnly = 0;
        int unmatched = 0;
        int failed = 0;
        for (TracedImage i : images) {
            if (i.failed()) {
                failed++;
            } else if (i.collection() != null) {
                collections.merge(i.collection(), 1, Integer::sum);
                switch (i.method()) {
                    case TracedImage.PDQ -> pdq++;
                    case TracedImage.PDQ_ALIGNED -> pdqAligned++;
                    default -> face++;
                }
                if (i.recipientZ() != null) {
                    tested.merge(i.collection(), 1, Integer::sum);
                }
                if (i.recipient() != null) {
                    recipients.merge(i.recipient(), 1, Integer::sum);
                }
            } else if (i.identityMatch() != null) {
                identityOnly++;
            } else {
                unmatched++;
            }
        }
        return new TraceResult(suspect, images, collections, recipients, tested, pdq, pdqAligned, face, identityOnly, unmatched, failed);
    }

    /** The JSON of {@code trace --json} (docs/FORMATS.md). */
    public Map<String, Object> json() {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("suspect", suspect);
        summary.put("images", images.size());
        summary.put("matched_by_pdq", matchedByPdq);
        summary.put("matched_by_pdq_and_alignment", matchedByPdqAligned);
        summary.put("matched_by_face_and_alignment", matchedByFace);
        summary.put("identity_only", identityOnly);
        summary.put("unmatched", unmatched);
        summary.put("failed", failed);
        summary.put("collections", collections);
        summary.put("recipients", recipients);
        summary.put("tested_for_fingerprints", tested);
        summary.put("false_accusation_bound_per_image", FingerprintDetector.FALSE_ACCUSATION_PER_IMAGE);
        List<Map<String, Object>> list = new ArrayList<>();
        for (TracedImage i : images) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", i.path());
            m.put("collection", i.collection());
            m.put("method", i.method());
            m.put("matched_path", i.matchedPath());
            m.put("pdq_distance", i.pdqDistance());
            if (i.identityMatch() == null) {
                m.put("identity_match", null);
            } else {
                Map<String, Object> im = new LinkedHashMap<>();
                im.put("collection", i.identityMatch().collection());
                im.put("path", i.identityMatch().path());
                im.put("similarity", Math.round(i.identityMatch().similarity() * 10000) / 10000.0);
                im.put("same_photo", i.identityMatch().samePhoto());
                m.put("identity_match", im);
            }
            m.put("recipient", i.recipient());
            m.put("recipient_z", i.recipientZ() == null ? null : Math.round(i.recipientZ() * 100) / 100.0);
            m.put("recipient_p_value", i.recipientPValue());
            m.put("note", i.note());
            list.add(m);
        }
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("summary", summary);
        o.put("images", list);
        return o;
    }

    /** One line per finding, for people. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        sb.append(images.size()).append(" suspect photos: ").append(matchedByPdq).append(" copies found by PDQ, ").append(matchedByPdqAligned)
                .append(" by nearer PDQ and alignment, ").append(matchedByFace).append(" by face and alignment, ").append(identityOnly).append(" only the same person as a registered photo, ").append(unmatched)
                .append(" unmatched, ").append(failed).append(" unreadable\n");
        collections.forEach((c, n) -> sb.append("collection ").append(c).append(": ").append(n).append(" photo(s); ")
                .append(tested.getOrDefault(c, 0)).append(" tested for its recipients' fingerprints\n"));
        if (recipients.isEmpty()) {
            sb.append("no recipient named (no fingerprint cleared the threshold for a false accusation ≤ 1e-6 per photo)");
        }
        recipients.forEach((r, n) -> sb.append("recipient ").append(r).append(": ").append(n).append(" photo(s) carry its fingerprint (each with a false-accusation bound ≤ 1e-6)\n"));
        return sb.toString().stripTrailing();
    }
}
