package org.likeness.trace;

import org.likeness.fingerprint.DatasetEvidence;
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
                          int failed, List<Accusation> accusations) {
    public TraceResult {
        images = List.copyOf(images);
        collections = Map.copyOf(collections);
        recipients = Map.copyOf(recipients);
        tested = Map.copyOf(tested);
        accusations = List.copyOf(accusations);
    }

    /**
     * The dataset-level evidence on one candidate recipient ({@link DatasetEvidence}).
     *
     * @param photosNamed  photos in which this recipient alone cleared the per-photo threshold
     * @param photosTested photos of distinct originals whose statistic for this recipient was summed
     * @param statistic    S = Σ z / √photosTested
     * @param threshold    the S a candidate must reach among {@code candidates} for a bound of 1e-6 per dataset
     * @param pValueBound  K · exp(−S²/2), capped at 1: the chance of an S this large for some candidate without its mark
     * @param accused      S ≥ threshold, or named in at least one photo
     */
    public record Accusation(String recipient, int photosNamed, int photosTested, double statistic, double threshold, int candidates,
                             double pValueBound, boolean accused) {
        /** log10 of the bound, exact where the bound itself underflows to 0: log10(K) − S²/(2 ln 10), at most 0. */
        public double log10Bound() {
            return statistic <= 0 ? 0 : Math.min(0, Math.log10(candidates) - statistic * statistic / (2 * Math.log(10)));
        }
    }

    /**
     * Sums each candidate's statistic over the suspect photos, one photo per original (the first by path: two copies of
     * one original share its keyed pattern, so only one may count), over every candidate tested at least once.
     */
    static List<Accusation> accusations(List<TracedImage> images, Map<String, Integer> named) {
        Map<String, double[]> sums = new TreeMap<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        images.stream().filter(i -> !i.scores().isEmpty()).sorted(java.util.Comparator.comparing(TracedImage::path)).forEach(i -> {
            if (seen.add(i.collection() + "\0" + i.matchedPath())) {
                for (org.likeness.fingerprint.Detection.Score sc : i.scores()) {
                    double[] a = sums.computeIfAbsent(sc.recipientId(), k -> new double[2]);
                    a[0] += sc.z();
                    a[1]++;
                }
            }
        });
        int k = sums.size();
        double threshold = DatasetEvidence.threshold(k);
        List<Accusation> out = new ArrayList<>();
        sums.forEach((r, a) -> {
            double stat = DatasetEvidence.statistic(a[0], (int) a[1]);
            int n = named.getOrDefault(r, 0);
            out.add(new Accusation(r, n, (int) a[1], stat, threshold, k, Math.min(1.0, k * DatasetEvidence.pValueBound(stat)),
                    stat >= threshold || n > 0));
        });
        out.sort(java.util.Comparator.comparingDouble(Accusation::statistic).reversed());
        return out;
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
        return new TraceResult(suspect, images, collections, recipients, tested, pdq, pdqAligned, face, identityOnly, unmatched, failed,
                accusations(images, recipients));
    }

    /**
     * The distinct registered originals among the photos that name {@code recipient}: many near-duplicate copies of one
     * photo are one photo's evidence (they share its keyed pattern and mostly its residual), and are counted once.
     */
    public int originalsNamed(String recipient) {
        return (int) images.stream().filter(i -> recipient.equals(i.recipient())).map(i -> i.collection() + "\0" + i.matchedPath()).distinct().count();
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
        List<Map<String, Object>> acc = new ArrayList<>();
        for (Accusation a : accusations) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("recipient", a.recipient());
            m.put("photos_named", a.photosNamed());
            m.put("photos_tested", a.photosTested());
            m.put("statistic", Math.round(a.statistic() * 100) / 100.0);
            m.put("threshold", Math.round(a.threshold() * 100) / 100.0);
            m.put("p_value_bound", a.pValueBound());
            m.put("p_value_bound_log10", Math.round(a.log10Bound() * 100) / 100.0);
            m.put("accused", a.accused());
            acc.add(m);
        }
        summary.put("dataset_evidence", acc);
        summary.put("false_accusation_bound_per_dataset", DatasetEvidence.FALSE_ACCUSATION_PER_DATASET);
        List<Map<String, Object>> list = new ArrayList<>();
        for (TracedImage i : images) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", i.path());
            m.put("collection", i.collection());
            m.put("method", i.method());
            m.put("matched_path", i.matchedPath());
            m.put("pdq_distance", i.pdqDistance());
            m.put("pdq_variant", i.pdqVariant());
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
        recipients.forEach((r, n) -> {
            sb.append("recipient ").append(r).append(": ").append(n).append(" photo(s) carry its fingerprint (each with a false-accusation bound ≤ 1e-6)");
            int originals = originalsNamed(r);
            if (originals < n) { // near-duplicates of one photo are one piece of evidence, not several
                sb.append("; they copy ").append(originals).append(" distinct registered photo(s)");
            }
            sb.append('\n');
        });
        for (Accusation a : accusations) {
            if (a.statistic() >= a.threshold()) {
                sb.append(String.format(java.util.Locale.ROOT, "dataset evidence against %s: S %.1f over %d photos ≥ %.2f (false-accusation bound 10^%.1f over %d candidates)%n",
                        a.recipient(), a.statistic(), a.photosTested(), a.threshold(), a.log10Bound(), a.candidates()));
            }
        }
        return sb.toString().stripTrailing();
    }
}
