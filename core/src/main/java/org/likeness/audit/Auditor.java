package org.likeness.audit;

import org.likeness.cluster.ChineseWhispers;
import org.likeness.face.Face;
import org.likeness.face.ProbeGate;
import org.likeness.registry.ConsentStatus;
import org.likeness.registry.Identification;
import org.likeness.registry.Purpose;
import org.likeness.registry.Registry;
import org.likeness.scan.ScanRecord;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Decides, for every face of a scanned dataset, whether it may be used for a purpose at a time: identify against the
 * registry (fail closed: below the threshold or the margin it is "unknown", and unknown is not consented), evaluate the
 * subject's consent, and group all faces into identities.
 */
public final class Auditor {
    /** The statuses a face can have, in report order. */
    public static final List<String> STATUSES = AuditStatus.words();

    /** What an audit asks of the registry: who a face is (fail closed) and what that person consented to. */
    public interface Registrar {
        Identification identify(float[] vector, String modelId);

        Map<String, ConsentStatus> statuses(java.util.Collection<String> subjectIds, Purpose purpose, Instant at);

        ConsentStatus status(String subjectId, Purpose purpose, Instant at);

        /** The hash of the log's last entry: the state of the registry the findings were decided on. */
        String logHead();

        static Registrar of(Registry r) {
            return new Registrar() {
                @Override
                public Identification identify(float[] vector, String modelId) {
                    return r.identify(vector, modelId);
                }

                @Override
                public Map<String, ConsentStatus> statuses(java.util.Collection<String> subjectIds, Purpose purpose, Instant at) {
                    return r.statuses(subjectIds, purpose, at);
                }

                @Override
                public ConsentStatus status(String subjectId, Purpose purpose, Instant at) {
                    return r.status(subjectId, purpose, at);
                }

                @Override
                public String logHead() {
                    return r.logHead();
                }
            };
        }
    }

    private final Registrar registry;
    private final String embedderId;
    private final Purpose purpose;
    private final Instant at;
    private final ProbeGate gate;
    private final int threads;

    /** An auditor with the default probe quality gate ({@link ProbeGate#DEFAULT}), identifying on every core. */
    public Auditor(Registry registry, String embedderId, Purpose purpose, Instant at) {
        this(Registrar.of(registry), embedderId, purpose, at, ProbeGate.DEFAULT, Runtime.getRuntime().availableProcessors());
    }

    /** @param gate faces it rejects are {@link AuditStatus#NOT_ASSESSABLE}: never identified, never consented */
    public Auditor(Registry registry, String embedderId, Purpose purpose, Instant at, ProbeGate gate) {
        this(Registrar.of(registry), embedderId, purpose, at, gate, Runtime.getRuntime().availableProcessors());
    }

    /** @param threads faces are identified on this many threads (the user's --threads) */
    public Auditor(Registrar registry, String embedderId, Purpose purpose, Instant at, ProbeGate gate, int threads) {
        this.registry = registry;
        this.embedderId = embedderId;
        this.purpose = purpose;
        this.at = at;
        this.gate = gate;
        this.threads = threads;
    }

    /**
     * @param clusterThreshold similarity at which two faces are joined into one identity
     */
    public AuditResult audit(String dataset, List<ScanRecord> records, Map<String, String> models, double matchThreshold,
                             float clusterThreshold) {
        // identification is the costly part and independent per face: on every core, then decided in order
        return audit(dataset, records, models, matchThreshold, clusterThreshold,
                faces -> org.likeness.files.Parallel.map(faces, threads, f -> registry.identify(f.embedding().vector(), embedderId))
                        .toArray(Identification[]::new));
    }

    /** Identifies the faces of the scan's readable records, in order: one answer per face. */
    public interface Identifier {
        Identification[] identify(List<Face> faces);
    }

    /**
     * As above, with the identifications made elsewhere (a Spark job's executors against a sealed snapshot of this
     * registry's gallery); consent, the probe gate and the clustering are decided here exactly as in a single process.
     */
    public AuditResult audit(String dataset, List<ScanRecord> records, Map<String, String> models, double matchThreshold,
                             float clusterThreshold, Identifier identifier) {
        List<Finding> findings = new ArrayList<>();
        List<float[]> vectors = new ArrayList<>();
        List<AuditResult.Failure> failures = new ArrayList<>();
        Map<String, ConsentStatus> statusOf;
        int images = 0;
        List<AuditResult.Image> audited = new ArrayList<>();
        List<Face> all = new ArrayList<>();
        records.stream().filter(ScanRecord::ok).forEach(r -> all.addAll(r.faces()));
        String[] notAssessable = all.stream().map(f -> gate.reject(f).orElse(null)).toArray(String[]::new);
        Identification[] ids = identifier.identify(all);
        if (ids.length != all.size()) {
            throw new IllegalStateException("identifier answered " + ids.length + " identifications for " + all.size() + " faces");
        }
        java.util.Set<String> identified = new java.util.HashSet<>();
        for (int i = 0; i < ids.length; i++) {
            if (notAssessable[i] == null) {
                ids[i].subject().ifPresent(identified::add);
            }
        }
        statusOf = new HashMap<>(registry.statuses(identified, purpose, at));
        int next = 0;
        for (ScanRecord r : records) {
            images++;
            audited.add(new AuditResult.Image(r.path(), r.sha256(), r.faces().size()));
            if (!r.ok()) {
                failures.add(new AuditResult.Failure(r.path(), r.error()));
                continue;
            }
            for (Face f : r.faces()) {
                float[] v = f.embedding().vector();
                String reason = notAssessable[next];
                Identification id = ids[next++];
                String subject = reason == null ? id.subject().orElse(null) : null;
                AuditStatus status = reason == null ? AuditStatus.UNKNOWN : AuditStatus.NOT_ASSESSABLE;
                Long decidedBy = null;
                if (subject != null) {
                    ConsentStatus s = statusOf.computeIfAbsent(subject, k -> registry.status(k, purpose, at));
                    status = AuditStatus.of(s.state());
                    decidedBy = s.consentId();
                }
                findings.add(new Finding(r.path(), f.box(), subject, status, Math.max(0, id.score()), -1, decidedBy, reason));
                vectors.add(v);
            }
        }
        int[] label = ChineseWhispers.cluster(vectors, clusterThreshold, 20261126L);
        List<Finding> labelled = new ArrayList<>(findings.size());
        for (int i = 0; i < findings.size(); i++) {
            Finding f = findings.get(i);
            labelled.add(new Finding(f.path(), f.box(), f.subject(), f.status(), f.similarity(), label[i], f.decidedBy(), f.reason()));
        }
        List<Identity> identities = identities(labelled);
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put(AuditResult.IMAGES, images);
        counts.put(AuditResult.FACES, labelled.size());
        counts.put(AuditResult.IDENTITIES, identities.size());
        for (String s : STATUSES) {
            counts.put(s, 0);
        }
        labelled.forEach(f -> counts.merge(f.status().word(), 1, Integer::sum));
        counts.put(AuditResult.FAILED, failures.size());
        return new AuditResult(dataset, purpose.word(), at, models, registry.logHead(), matchThreshold, counts, labelled,
                identities, failures, audited);
    }

    private static List<Identity> identities(List<Finding> faces) {
        Map<Integer, List<Finding>> byId = new LinkedHashMap<>();
        faces.forEach(f -> byId.computeIfAbsent(f.identity(), k -> new ArrayList<>()).add(f));
        List<Identity> out = new ArrayList<>();
        byId.forEach((id, fs) -> {
            Map<String, Integer> votes = new HashMap<>();
            fs.stream().filter(f -> f.subject() != null).forEach(f -> votes.merge(f.subject(), 1, Integer::sum));
            String subject = votes.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
            AuditStatus status = subject == null ? AuditStatus.UNKNOWN
                    : fs.stream().filter(f -> subject.equals(f.subject())).findFirst().map(Finding::status).orElse(AuditStatus.UNKNOWN);
            out.add(new Identity(id, fs.size(), subject, status));
        });
        return out;
    }
}
