package org.likeness.hashlist;

import org.likeness.evidence.HolderKey;
import org.likeness.registry.CollectionFace;
import org.likeness.registry.CollectionImage;
import org.likeness.registry.CollectionInfo;
import org.likeness.registry.Registry;
import org.likeness.registry.Subject;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The holder's side: a list of the current state of some collections, read from the registry at export time. An image
 * in which any face belongs to an erased subject is left out, so that erasure removes it from the next version (and a
 * delta names it as removed). What each exported version held (its entry ids) and the list's keys are kept in
 * {@code $LIKENESS_HOME/hashlists/exported/NAME.json} (owner-only), so that {@code --since} can compute a delta.
 */
public final class HashListExport {
    /** Default validity of a list: a marketplace must fetch a newer version within this, so that removals reach it. */
    public static final Duration DEFAULT_EXPIRY = Duration.ofDays(30);

    /**
     * @param contact whom a marketplace contacts about a match (null: the contact of the list's previous export, else each
     *                collection's owner)
     * @param since   write a delta from that exported version, or null for a full list
     */
    public record Request(String name, List<String> collections, boolean withFaces, Long since, Duration expires, String contact) {
    }

    /** What was written. */
    public record Exported(HashList list, byte[] file, int entries, int faces, int leftOutErased) {
    }

    private final Registry registry;
    private final Path stateDir;
    private final HolderKey key;

    public HashListExport(Registry registry, Path home, HolderKey key) {
        this.registry = registry;
        this.stateDir = home.resolve("hashlists").resolve("exported");
        this.key = key;
    }

    public Exported export(Request req, Instant now) throws HashListException, IOException {
        if (req.collections().isEmpty()) {
            throw new HashListException("no collection named (--collections A,B)");
        }
        ExportRecord state = ExportRecord.read(stateDir, req.name());
        if (req.since() != null && !state.versions.containsKey(req.since())) {
            throw new HashListException("list " + req.name() + " has no exported version " + req.since()
                    + (state.versions.isEmpty() ? " (nothing exported yet)" : " (exported: " + state.versions.keySet() + ")"));
        }
        if (req.since() != null && state.withFaces.get(req.since()) != req.withFaces()) {
            throw new HashListException("version " + req.since() + " was exported " + (req.withFaces() ? "without" : "with")
                    + " faces: a delta cannot change that, export a full list");
        }
        if (req.contact() != null) {
            state.contact = req.contact();
        }
        Set<String> erased = new java.util.HashSet<>();
        for (Subject s : registry.subjects()) {
            if (s.erased()) {
                erased.add(s.id());
            }
        }
        FaceSketch sketcher = null;
        String embedder = null;
        List<ListCollection> collections = new ArrayList<>();
        Map<String, ListEntry> entries = new LinkedHashMap<>();
        int faces = 0, leftOut = 0;
        for (String name : new LinkedHashSet<>(req.collections())) {
            CollectionInfo c = registry.collection(name);
            collections.add(new ListCollection(c.name(), c.owner(), state.contact != null ? state.contact : c.owner()));
            for (CollectionImage img : registry.collectionImages(c.name(), req.withFaces())) {
                if (img.faces().stream().anyMatch(f -> f.subjectId() != null && erased.contains(f.subjectId()))) {
                    leftOut++;
                    continue;
                }
                List<String> sketches = new ArrayList<>();
                if (req.withFaces()) {
                    for (CollectionFace f : img.faces()) {
                        if (f.template() == null) {
                            continue;
                        }
                        if (embedder != null && !embedder.equals(c.modelId())) {
                            throw new HashListException("collections come from different embedders (" + embedder + ", " + c.modelId()
                                    + "): export them as separate lists");
                        }
                        if (sketcher == null) {
                            embedder = c.modelId();
                            sketcher = new FaceSketch(state.sketchKey, f.template().length);
                        }
                        sketches.add(FaceSketch.toHex(sketcher.sketch(f.template())));
                        java.util.Arrays.fill(f.template(), 0f);
                    }
                }
                if (img.pdq() == null && sketches.isEmpty()) {
                    continue; // nothing a marketplace could match
                }
                faces += sketches.size();
                String id = state.entryId(c.name(), img.path(), img.sha256());
                entries.put(id, new ListEntry(id, c.name(), img.pdq(), sketches));
            }
        }
        long version = state.versions.isEmpty() ? 1 : state.versions.lastKey() + 1;
        List<ListEntry> added;
        List<String> removed;
        if (req.since() == null) {
            added = new ArrayList<>(entries.values());
            removed = List.of();
        } else {
            Set<String> before = state.versions.get(req.since());
            added = entries.values().stream().filter(e -> !before.contains(e.id())).toList();
            removed = before.stream().filter(id -> !entries.containsKey(id)).sorted().toList();
        }
        HashList list = new HashList(req.name(), version, req.since(), now, now.plus(req.expires()), HolderKey.id(key.publicKey()),
                req.withFaces() ? (embedder == null ? "none" : embedder) : null,
                req.withFaces() ? HexFormat.of().formatHex(state.sketchKey) : null, collections, added, removed);
        byte[] file = SignedList.sign(list, key);
        // the full content of this version, published by the service (HashListPublication) and the base of its deltas
        HashList full = new HashList(list.name(), version, null, list.issuedAt(), list.expiresAt(), list.holderKeyId(), list.embedder(),
                list.sketchKey(), collections, new ArrayList<>(entries.values()), List.of());
        state.versions.put(version, new TreeSet<>(entries.keySet()));
        state.withFaces.put(version, req.withFaces());
        state.write(stateDir, req.name(), SignedList.sign(full, key));
        return new Exported(list, file, entries.size(), faces, leftOut);
    }
}
