package org.likeness.app;

import java.util.LinkedHashMap;
import java.util.Map;
import org.likeness.registry.Erasure;
import org.likeness.registry.Registry;

/**
 * Erases a subject (crypto-shredding, {@link Registry#erase}) and reports where their face is still held
 * ({@link Propagation}, logged as {@code propagation.erase}). {@code subject erase} and
 * {@code DELETE /api/v1/subjects/{id}} print it.
 */
public record SubjectErasure(Erasure erasure, Propagation impact) {
    public static SubjectErasure run(Registry registry, String subjectId) {
        Erasure e = registry.erase(subjectId);
        return new SubjectErasure(e, Propagation.report(registry, subjectId, "erase", null));
    }

    public Map<String, Object> json() {
        Erasure e = erasure;
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("subject", e.subjectId());
        json.put("templates_destroyed", e.templatesDestroyed());
        json.put("erased_at", e.erasedAt().toString());
        json.put("collection_templates_destroyed", e.collectionTemplatesDestroyed());
        json.put("database_files", e.storage());
        json.put("audit_caches_destroyed", e.auditCachesDestroyed());
        json.put("impact", impact.json());
        return json;
    }

    public String text() {
        Erasure e = erasure;
        return "erased subject " + e.subjectId() + ": data key (key-store slot overwritten), " + e.templatesDestroyed()
                + " template(s) and " + e.collectionTemplatesDestroyed() + " collection template(s) destroyed; "
                + e.storage() + "; " + e.auditCachesDestroyed() + " audit cache(s) destroyed\n" + impact.text();
    }
}
