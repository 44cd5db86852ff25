package org.likeness.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.likeness.audit.AuditStatus;
import org.likeness.face.Box;
import org.likeness.redact.Manifest;
import org.likeness.redact.ManifestEntry;
import org.likeness.redact.PlannedImage;
import org.likeness.redact.RedactMode;
import org.likeness.redact.RedactionPlan;
import org.likeness.redact.Redactor;
import org.likeness.registry.CollectionFace;
import org.likeness.registry.CollectionImage;
import org.likeness.registry.CollectionInfo;
import org.likeness.registry.Purpose;
import org.likeness.registry.Registry;

/**
 * The redaction use case: a cleaned copy of a dataset in which every face whose status is not kept is anonymised (or
 * its image dropped), judged either by an audit's findings.json or, for a registered collection, by each identified
 * subject's consent now (logged as {@code collection.redact}). Every withheld file goes to the listener.
 */
public final class Redact {
    private final RegistrySession session;
    private final String actor;

    public Redact(RegistrySession session, String actor) {
        this.session = session;
        this.actor = actor;
    }

    /** The copy of {@code dataset} judged by {@code findings}. */
    public Manifest fromFindings(Path dataset, Path findings, Set<String> kept, RedactMode mode, Path out, boolean resume,
                                 Listener listener) throws IOException {
        if (!Files.exists(dataset)) {
            throw new RequestException(dataset + ": no such folder or archive");
        }
        RedactionPlan plan = RedactionPlan.fromFindings(findings, kept);
        return withheld(new Redactor(plan, mode).run(dataset, out, resume, listener.progress("redact", -1)), listener);
    }

    /** The clean copy of a registered collection under each subject's consent for {@code purpose} now; the log records it. */
    public Manifest collection(String collection, Purpose purpose, Set<String> kept, RedactMode mode, Path out, boolean resume,
                               Listener listener) throws IOException {
        Instant now = Instant.now();
        try (RegistryAccess access = session.open(actor)) {
            Registry r = access.registry;
            CollectionInfo info = r.collection(collection);
            Map<String, String> status = new HashMap<>();
            List<PlannedImage> images = new ArrayList<>();
            for (CollectionImage i : r.collectionImages(collection, false)) {
                List<Box> redact = new ArrayList<>();
                for (CollectionFace f : i.faces()) {
                    String s = f.subjectId() == null ? AuditStatus.UNKNOWN.word()
                            : status.computeIfAbsent(f.subjectId(), k -> AuditStatus.of(r.status(k, purpose, now).state()).word());
                    if (!kept.contains(s)) {
                        redact.add(new Box(f.x(), f.y(), f.w(), f.h()));
                    }
                }
                images.add(new PlannedImage(i.path(), i.sha256(), i.faces().size(), redact));
            }
            RedactionPlan plan = RedactionPlan.of("collection " + collection + ", " + purpose.word() + " consent at " + now,
                    "collection " + collection + ", " + purpose.word(), kept, images);
            Path location = Path.of(info.location());
            if (!Files.exists(location)) {
                throw new RequestException(location + ": collection " + collection + "'s dataset is no longer there");
            }
            Manifest manifest = new Redactor(plan, mode).run(location, out, resume, listener.progress("redact", info.images()));
            Map<String, Object> logged = new LinkedHashMap<>();
            logged.put("collection", collection);
            logged.put("purpose", purpose.word());
            logged.put("at", now.toString());
            logged.put("mode", mode.word());
            logged.put("out", out.toAbsolutePath().toString());
            logged.put("images", manifest.images().size());
            logged.put("redacted", manifest.count(ManifestEntry.REDACTED));
            logged.put("dropped", manifest.count(ManifestEntry.DROPPED));
            logged.put("withheld", manifest.count(ManifestEntry.WITHHELD));
            logged.put("faces_changed", manifest.facesChanged());
            r.record("collection.redact", logged);
            return withheld(manifest, listener);
        }
    }

    private static Manifest withheld(Manifest manifest, Listener listener) {
        for (ManifestEntry e : manifest.images()) {
            if (ManifestEntry.WITHHELD.equals(e.action())) {
                listener.problem(e.path(), "withheld: " + e.reason());
            }
        }
        return manifest;
    }
}
