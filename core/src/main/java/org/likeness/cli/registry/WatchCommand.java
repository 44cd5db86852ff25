package org.likeness.cli.registry;

import org.likeness.json.Json;
import org.likeness.cli.Choices;
import org.likeness.cli.ExitCodes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.likeness.registry.CollectionFace;
import org.likeness.registry.CollectionImage;
import org.likeness.registry.CollectionInfo;
import org.likeness.registry.ConsentState;
import org.likeness.registry.LogEntry;
import org.likeness.registry.Purpose;
import org.likeness.registry.Registry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code likeness watch}: re-audits every registered collection when consent changes. The cursor is the log itself: each
 * check appends {@code watch.check} with the sequence number it covered, so a restarted watch carries on where it stopped
 * and the checks are as tamper-evident as the changes they answer.
 */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = "Re-audit registered collections whenever consent changes (grants, revocations, erasures since the last check):"
                + " print, per collection, the faces no longer usable for the purpose and the images of each changed subject;"
                + " each check is logged as watch.check. Runs until stopped, or once with --once.")
public final class WatchCommand extends RegistryAction {
    private static final Set<String> CONSENT_CHANGES = Set.of("consent.grant", "consent.revoke", "subject.erase", "collection.add",
            "collection.rescan", "collection.remove");
    private static final ObjectMapper JSON = Json.MAPPER;
    /** Log entries read per page while looking for changes. */
    private static final int PAGE = 10_000;

    @Option(names = "--purpose", converter = Choices.PurposeWord.class, completionCandidates = Choices.PurposeWord.class, paramLabel = "P", defaultValue = "training", description = "Purpose the collections are held for (default ${DEFAULT-VALUE}).")
    String purpose;
    @Option(names = "--once", description = "Check once and exit.")
    boolean once;
    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "60", description = "Seconds between checks (default ${DEFAULT-VALUE}).")
    int interval;

    private final Map<String, String> env;

    public WatchCommand() {
        this(System.getenv());
    }

    public WatchCommand(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    @Override
    Map<String, String> env() {
        return env;
    }

    @Override
    int run(Registry registry, PrintWriter out) throws IOException {
        Purpose p = Purpose.parse(purpose);
        while (true) {
            registry.reverify(); // rows edited while watch runs are caught at the next check, not only at start
            check(registry, p, out);
            out.flush();
            if (once) {
                return ExitCodes.OK;
            }
            try {
                Thread.sleep(Math.max(1, interval) * 1000L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return ExitCodes.OK;
            }
        }
    }

    private void check(Registry registry, Purpose p, PrintWriter out) throws IOException {
        long cursor = 0;
        long head = 0;
        JsonNode lastStates = null;
        List<LogEntry> fresh = new ArrayList<>();
        for (long from = 1; ; ) {
            List<LogEntry> page = registry.log(from, PAGE);
            for (LogEntry e : page) {
                head = e.seq();
                if (e.action().equals("watch.check")) {
                    JsonNode check = JSON.readTree(e.payload());
                    if (p.word().equals(check.path("purpose").asText())) {
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
        final long since = cursor;
        fresh.removeIf(e -> e.seq() <= since);
        Set<String> changed = new TreeSet<>();
        for (LogEntry e : fresh) {
            JsonNode payload = JSON.readTree(e.payload());
            if (payload.hasNonNull("subject")) {
                changed.add(payload.get("subject").asText());
            }
        }
        // every collection's faces under consent now; a consent that expired or began since the last check writes no
        // log entry, so states are compared with the ones that check recorded
        Instant now = Instant.now();
        Map<String, ConsentState> state = new java.util.TreeMap<>();
        Map<String, Map<String, List<String>>> imagesOf = new LinkedHashMap<>();
        Map<String, int[]> counts = new LinkedHashMap<>();
        for (CollectionInfo c : registry.collections()) {
            int[] n = new int[2];
            Map<String, List<String>> bySubject = new LinkedHashMap<>();
            for (CollectionImage i : registry.collectionImages(c.name(), false)) {
                for (CollectionFace f : i.faces()) {
                    n[0]++;
                    ConsentState s = f.subjectId() == null ? null
                            : state.computeIfAbsent(f.subjectId(), k -> registry.status(k, p, now).state());
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
        if (fresh.isEmpty() && cursor > 0 && changed.isEmpty()) {
            out.println("no consent or collection change since log entry " + cursor);
            return;
        }
        out.println("consent changed for " + (changed.isEmpty() ? "nobody" : String.join(", ", changed)) + " since log entry " + cursor
                + "; collections for " + p.word() + " now:");
        Map<String, Object> perCollection = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> c : counts.entrySet()) {
            int faces = c.getValue()[0];
            int notUsable = c.getValue()[1];
            out.printf("  %-24s %6d faces, %6d not usable for %s%s%n", c.getKey(), faces, notUsable, p.word(),
                    notUsable > 0 ? " (clean copy: likeness redact --collection " + c.getKey() + " --purpose " + p.word() + " -o DIR)" : "");
            imagesOf.get(c.getKey()).forEach((subject, paths) -> {
                if (changed.contains(subject)) {
                    out.println("    " + subject + " (" + state.get(subject).name().toLowerCase(java.util.Locale.ROOT) + "): " + String.join(", ", paths));
                }
            });
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("faces", faces);
            m.put("not_usable", notUsable);
            perCollection.put(c.getKey(), m);
        }
        Map<String, Object> states = new LinkedHashMap<>();
        state.forEach((k, v) -> states.put(k, v.name()));
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("through", head);
        payload.put("purpose", p.word());
        payload.put("changed_subjects", new ArrayList<>(changed));
        payload.put("collections", perCollection);
        payload.put("states", states);
        registry.record("watch.check", payload);
    }
}
