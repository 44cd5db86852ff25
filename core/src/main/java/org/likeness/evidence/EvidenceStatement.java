package org.likeness.evidence;

import org.likeness.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.likeness.fingerprint.DatasetEvidence;
import org.likeness.fingerprint.Detection;
import org.likeness.fingerprint.FingerprintDetector;
import org.likeness.registry.LogEntry;
import org.likeness.registry.LogVerification;
import org.likeness.registry.Registry;
import org.likeness.registry.Release;
import org.likeness.trace.TraceResult;
import org.likeness.trace.TracedImage;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The signed statement of one traced dataset (docs/FORMATS.md "Evidence statement"): {@code {"statement": {...},
 * "signature": {...}}}, the signature being Ed25519 over the canonical JSON ({@link CanonicalJson}) of the statement.
 * It names each accused recipient with the photos carrying its mark, every per-photo statistic, the dataset statistic and
 * the false-accusation bounds with how they were computed, and each release to it as the registry recorded and logged
 * it; plus the log's head at the time, so that {@link StatementVerifier} can check it against the registry later.
 */
public final class EvidenceStatement {
    /** Identifies the statement's layout. */
    public static final String FORMAT = "likeness-evidence/1";
    /**
     * The method's version: the mark (MarkPattern's domain "likeness-fingerprint-v1", MarkParameters.DEFAULT), the per-photo
     * test and the dataset sum. Changes whenever any of them does.
     */
    public static final String METHOD_VERSION = "likeness 0.1.0; fingerprint v1 (DCT band 0.02-0.20, RMS 1.3, masked); per-photo z with Hoeffding"
            + " and Bonferroni at 1e-6; dataset sum S with Hoeffding and Bonferroni at 1e-6";
    /** The signature's reminder of what it covers. */
    public static final String SIGNED = "canonical JSON of \"statement\" (docs/FORMATS.md)";
    /** Log entries read per query while looking for release entries. */
    private static final int LOG_PAGE = 1000;

    private EvidenceStatement() {
    }

    /** Builds and signs the statement; null when the trace accuses nobody (there is nothing to state). */
    public static ObjectNode sign(TraceResult result, Registry registry, HolderKey key, Instant now) throws IOException {
        List<TraceResult.Accusation> accused = result.accusations().stream().filter(TraceResult.Accusation::accused).toList();
        if (accused.isEmpty()) {
            return null;
        }
        Map<String, Object> st = new LinkedHashMap<>();
        st.put("format", FORMAT);
        st.put("created_at", now.toString());
        st.put("method", method());
        Map<String, Object> suspect = new LinkedHashMap<>();
        suspect.put("label", result.suspect());
        suspect.put("photos", result.images().size());
        suspect.put("copies_of_registered_photos", result.collections());
        st.put("suspect", suspect);
        LogVerification lv = registry.verifyLog();
        Map<String, Object> log = new LinkedHashMap<>();
        log.put("entries", lv.entries());
        log.put("head", registry.logHead());
        log.put("intact", lv.intact());
        st.put("registry_log", log);
        Map<String, LogEntry> releaseEntries = releaseEntries(registry);
        List<Release> releases = registry.releases(null);
        List<Map<String, Object>> list = new ArrayList<>();
        for (TraceResult.Accusation a : accused) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("recipient", a.recipient());
            m.put("photos_carrying_mark", a.photosNamed());
            m.put("originals_carrying_mark", result.originalsNamed(a.recipient()));
            m.put("photos_tested", a.photosTested());
            m.put("dataset_statistic", a.statistic());
            m.put("dataset_threshold", a.threshold());
            m.put("candidates", a.candidates());
            double log10 = a.photosNamed() > 0 ? Math.min(a.log10Bound(), bestPhotoLog10Bound(result, a.recipient())) : a.log10Bound();
            m.put("false_accusation_bound_log10", Math.round(log10 * 100) / 100.0);
            m.put("false_accusation_bound", Math.pow(10, log10));
            m.put("bound_computed_as", a.photosNamed() > 0
                    ? "the smaller of: the dataset bound min(1, K exp(-S^2/2)) over K candidates, S = sum of the per-photo z over photos_tested distinct"
                    + " originals / sqrt(photos_tested); and the best named photo's bound K_photo exp(-z^2/2); as log10 where it underflows"
                    : "min(1, K exp(-S^2/2)) over K candidates, S = sum of the per-photo z over photos_tested distinct originals / sqrt(photos_tested)");
            List<Map<String, Object>> rel = new ArrayList<>();
            java.util.Set<String> collections = new java.util.TreeSet<>();
            result.images().stream().filter(i -> i.scores().stream().anyMatch(s -> s.recipientId().equals(a.recipient())))
                    .forEach(i -> collections.add(i.collection()));
            for (Release r : releases) {
                if (r.recipient().equals(a.recipient()) && collections.contains(r.collection())) {
                    Map<String, Object> x = new LinkedHashMap<>();
                    x.put("collection", r.collection());
                    x.put("key_id", r.keyId());
                    x.put("images", r.images());
                    x.put("released_at", r.releasedAt().toString());
                    LogEntry e = releaseEntries.get(r.collection() + "\0" + r.recipient());
                    x.put("log_entry", e == null ? null : e.fields());
                    rel.add(x);
                }
            }
            m.put("releases", rel);
            List<Map<String, Object>> photos = new ArrayList<>();
            for (TracedImage i : result.images()) {
                Detection.Score s = i.scores().stream().filter(x -> x.recipientId().equals(a.recipient())).findFirst().orElse(null);
                if (s == null) {
                    continue;
                }
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("path", i.path());
                p.put("collection", i.collection());
                p.put("original", i.matchedPath());
                p.put("z", Math.round(s.z() * 1000) / 1000.0);
                p.put("candidates", i.scores().size());
                p.put("p_value_bound", s.pValue());
                p.put("named", a.recipient().equals(i.recipient()));
                photos.add(p);
            }
            m.put("photos", photos);
            list.add(m);
        }
        st.put("accused", list);
        JsonNode statement = CanonicalJson.tree(st);
        byte[] signature = key.sign(CanonicalJson.bytes(statement));
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.set("statement", statement);
        ObjectNode sig = out.putObject("signature");
        sig.put("algorithm", HolderKey.ALGORITHM);
        sig.put("key_id", HolderKey.id(key.publicKey()));
        sig.put("public_key", Base64.getEncoder().encodeToString(key.publicKey().getEncoded()));
        sig.put("signed", SIGNED);
        sig.put("value", Base64.getEncoder().encodeToString(signature));
        return out;
    }

    /** log10 of the smallest per-photo bound of a photo naming the recipient, Bonferroni over that photo's candidates. */
    private static double bestPhotoLog10Bound(TraceResult result, String recipient) {
        double best = 0;
        for (TracedImage i : result.images()) {
            if (recipient.equals(i.recipient()) && i.recipientZ() != null) {
                double z = i.recipientZ();
                best = Math.min(best, Math.log10(Math.max(1, i.scores().size())) - z * z / (2 * Math.log(10)));
            }
        }
        return best;
    }

    private static Map<String, Object> method() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", METHOD_VERSION);
        m.put("per_photo_statistic", "z = sum_i w_i r_i / sqrt(sum_i r_i^2): r the DCT band of (aligned suspect - original), w the recipient's keyed +-1 signs");
        m.put("per_photo_bound", "P(z >= t | mark absent) <= exp(-t^2/2) (Hoeffding: the signs are independent fair +-1 given r); a recipient is named"
                + " in a photo when z >= sqrt(2 ln(K / 1e-6)) among K candidates (Bonferroni)");
        m.put("false_accusation_per_photo", FingerprintDetector.FALSE_ACCUSATION_PER_IMAGE);
        m.put("dataset_statistic", "S = sum of z over the photos of distinct originals / sqrt(their number): again a Rademacher sum with unit variance");
        m.put("dataset_bound", "P(S >= t | mark absent) <= exp(-t^2/2); accused when S >= sqrt(2 ln(K / 1e-6)) among K candidates, or named in a photo");
        m.put("false_accusation_per_dataset", DatasetEvidence.FALSE_ACCUSATION_PER_DATASET);
        return m;
    }

    /** The latest {@code collection.release} entry per collection and recipient. */
    private static Map<String, LogEntry> releaseEntries(Registry registry) throws IOException {
        Map<String, LogEntry> out = new LinkedHashMap<>();
        ObjectMapper mapper = Json.MAPPER;
        long from = 1;
        while (true) {
            List<LogEntry> page = registry.log(from, LOG_PAGE);
            for (LogEntry e : page) {
                if (e.action().equals("collection.release")) {
                    JsonNode p = mapper.readTree(e.payload());
                    out.put(p.path("collection").asText() + "\0" + p.path("recipient").asText(), e);
                }
            }
            if (page.size() < LOG_PAGE) {
                return out;
            }
            from = page.get(page.size() - 1).seq() + 1;
        }
    }
}
