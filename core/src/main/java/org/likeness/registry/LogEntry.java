package org.likeness.registry;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One entry of the registry's hash-chained log. {@code payload} is canonical JSON (sorted keys, no
 * spaces) and never holds a template, key or embedding; {@code hash} is SHA-256 over the canonical
 * JSON of {@code {action, actor, at, payload, prev, seq}} (see {@link RegistryLog}).
 */
public record LogEntry(long seq, String at, String actor, String action, String payload, String prevHash,
                       String hash) {
    public LogEntry {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(prevHash, "prevHash");
        Objects.requireNonNull(hash, "hash");
    }

    /** The entry as JSON fields in the order `log show --json` and evidence statements write them. */
    public Map<String, Object> fields() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", seq);
        m.put("at", at);
        m.put("actor", actor);
        m.put("action", action);
        m.put("payload", payload);
        m.put("prev_hash", prevHash);
        m.put("hash", hash);
        return m;
    }
}
