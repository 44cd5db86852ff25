package org.likeness.app;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.likeness.json.Json;
import org.likeness.registry.CollectionFace;
import org.likeness.registry.CollectionImage;
import org.likeness.registry.CollectionInfo;
import org.likeness.registry.ConsentState;
import org.likeness.registry.LogEntry;
import org.likeness.registry.Purpose;
import org.likeness.registry.Registry;

/**
 * The consent watch: after consent changes (grants, revocations, erasures, collections added or removed), which faces
 * of each registered collection are no longer usable for the purpose. The cursor is the log itself: each check appends
 * {@code watch.check} with the sequence number it covered. The first check finds the last one for its purpose by a
 * query; later checks read only the entries appended since the previous one, never the whole log again.
 */
public final class Watch {
    static final Set<String> CONSENT_CHANGES = Set.of("consent.grant", "consent.revoke", "subject.erase", "collection.add",
            "collection.rescan", "collection.remove");
    static final String CHECK = "watch.check";
    /** Log entries read per page while looking for changes. */
    static final int PAGE = 10_000;
    /** watch.check entries (of every purpose) read per query while looking for this purpose's last one. */
    static final int CHECKS_PAGE = 100;

    /** One collection now: faces, how many may not be used, and the images of each subject whose consent changed. */
    public record CollectionState(String name, int faces, int notUsable, Map<String, List<String>> changedSubjectImages) {
    }

    /**
     * @param since    the log entry the previous check covered (0: none)
     * @param changed  subjects whose consent changed since, sorted
     * @param states   every identified subject's state now
     * @param recorded whether this check found a change and was logged (false: nothing changed since {@code since})
     */
    public record Check(long since, long through, Set<String> changed, List<CollectionState> collections,
                        Map<String, ConsentState> states, boolean recorded) {
    }

    private final Purpose purpose;
    /** The next log entry to read; -1 before the first check. */
    private long readFrom = -1;
    private long cursor;
    private JsonNode lastStates;
    private long head;

    public Watch(Purpose purpose) {
        this.purpose = purpose;
    }

    /** Entries read by the last check (how incremental it was). */
    private long lastRead;

    public long entriesReadByLastCheck() {
        return lastRead;
    }

    public Check check(Registry registry) throws IOException {
        if (readFrom < 0) {
            start(registry);
        }
        List<LogEntry> fresh = new ArrayList<>();
        lastRead = 0;
        for (long from = readFrom; ; ) {
            List<LogEntry> page = registry.log(from, PAGE);
            lastRead += page.size();
            for (LogEntry e : page) {
                head = e.seq();
                if (e.action().equals(CHECK)) {
                    JsonNode check = Json.MAPPER.readTree(e.payload());
                    if (purpose.word().equals(check.path("purpose").asText())) {
                        cursor = check.path("through").asLong(); // each purpose has its own cursor
                        lastStates = check.path("states");
                    }
                } else if (CONSENT_CHANGES.contains(e.action())) {
                    fresh.add(e);
                }
            }
            if (page.size() < PAGE) {
                break;
            }
            from = head + 1;
        }
        readFrom = head + 1;
        final long since = cursor;
        fresh.removeIf(e -> e.seq() <= since);
        Set<String> changed = new TreeSet<>();
        for (LogEntry e : fresh) {
            JsonNode payload = Json.MAPPER.readTree(e.payload());
            if (payload.hasNonNull("subject")) {
                changed.add(payload.get("subject").asText());
            }
        }
        // every collection's faces under consent now; a consent that expired or began since the last check writes no
        // log entry, so states are compared with the ones that check recorded
        Instant now = Instant.now();
        Map<String, ConsentState> state = new TreeMap<>();
        Map<String, Map<String, List<String>>> imagesOf = new LinkedHashMap<>();
        Map<String, int[]> counts = new LinkedHashMap<>();
        for (CollectionInfo c : registry.collections()) {
            int[] n = new int[2];
            Map<String, List<String>> bySubject = new LinkedHashMap<>();
            for (CollectionImage i : registry.collectionImages(c.name(), false)) {
                for (CollectionFace f : i.faces()) {
                    n[0]++;
                    ConsentState s = f.subjectId() == null ? null
                            : state.computeIfAbsent(f.subjectId(), k -> registry.status(k, purpose, now).state());
                    if (s != ConsentState.CONSENTED) {
                        n[1]++;
                    }
                    if (f.subjectId() != null) {
                        bySubject.computeIfAbsent(f.subjectId(), k -> new ArrayList<>()).add(i.path());
                    }
                }
            }
            counts.put(c.name(), n);
            imagesOf.put(c.name(), bySubject);
        }
        if (lastStates != null) {
            for (Map.Entry<String, ConsentState> e : state.entrySet()) {
                if (!e.getValue().name().equals(lastStates.path(e.getKey()).asText(null))) {
                    changed.add(e.getKey());
                }
            }
        }
        List<CollectionState> collections = new ArrayList<>();
        for (Map.Entry<String, int[]> c : counts.entrySet()) {
            Map<String, List<String>> changedImages = new LinkedHashMap<>();
            imagesOf.get(c.getKey()).forEach((subject, paths) -> {
                if (changed.contains(subject)) {
                    changedImages.put(subject, paths);
                }
            });
            collections.add(new CollectionState(c.getKey(), c.getValue()[0], c.getValue()[1], changedImages));
        }
        if (fresh.isEmpty() && since > 0 && changed.isEmpty()) {
            return new Check(since, head, changed, collections, state, false);
        }
        Map<String, Object> perCollection = new LinkedHashMap<>();
        for (CollectionState c : collections) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("faces", c.faces());
            m.put("not_usable", c.notUsable());
            perCollection.put(c.name(), m);
        }
        Map<String, Object> states = new LinkedHashMap<>();
        state.forEach((k, v) -> states.put(k, v.name()));
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("through", head);
        payload.put("purpose", purpose.word());
        payload.put("changed_subjects", new ArrayList<>(changed));
        payload.put("collections", perCollection);
        payload.put("states", states);
        registry.record(CHECK, payload);
        return new Check(since, head, changed, collections, state, true);
    }

    /** Finds this purpose's last check (newest first, a page of checks at a time): reading starts after what it covered. */
    private void start(Registry registry) throws IOException {
        cursor = 0;
        lastStates = null;
        head = 0;
        readFrom = 1;
        for (long before = Long.MAX_VALUE; ; ) {
            List<LogEntry> checks = registry.logLatest(CHECK, before, CHECKS_PAGE);
            for (LogEntry e : checks) {
                JsonNode check = Json.MAPPER.readTree(e.payload());
                if (purpose.word().equals(check.path("purpose").asText())) {
                    // the entries after what it covered are read again, the check itself among them, as a full read would
                    readFrom = check.path("through").asLong() + 1;
                    head = readFrom - 1;
                    return;
                }
                before = e.seq();
            }
            if (checks.size() < CHECKS_PAGE) {
                return;
            }
        }
    }
}
