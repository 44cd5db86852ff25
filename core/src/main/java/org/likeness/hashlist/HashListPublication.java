package org.likeness.hashlist;

import org.likeness.evidence.HolderKey;
import org.likeness.json.Json;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * What a holder publishes for marketplaces to poll (the service's {@code GET /api/v1/hashlists/{name}}): the latest
 * exported version as a full signed list, or a delta from a version the marketplace holds to the latest, signed when
 * asked. Nothing new is exported here: versions are made by {@code hashlist export} only.
 */
public final class HashListPublication {
    /**
     * A list file to send.
     *
     * @param etag the version and base it carries, quoted, e.g. {@code "v3"} or {@code "v3-from-1"}
     */
    public record Published(byte[] file, long version, Long base, String etag) {
    }

    private final Path dir;
    private final HolderKey key;

    public HashListPublication(Path home, HolderKey key) {
        this.dir = home.resolve("hashlists").resolve("exported");
        this.key = key;
    }

    /** The latest version, full; a {@link HashListException} when the list was never exported. */
    public Published latest(String name) throws HashListException, IOException {
        byte[] file = ExportRecord.latest(dir, checkName(name));
        if (file == null) {
            throw new HashListException("no list " + name + " was exported");
        }
        HashList l = HashList.of(Json.MAPPER.readTree(file).get("list"));
        return new Published(file, l.version(), null, "\"v" + l.version() + "\"");
    }

    /**
     * The delta from {@code since} to the latest version; null when {@code since} is the latest (nothing to send); the full
     * latest list when the delta cannot be made (faces added or dropped between the two versions).
     */
    public Published since(String name, long since) throws HashListException, IOException {
        Published latest = latest(name);
        if (since == latest.version()) {
            return null;
        }
        ExportRecord record = ExportRecord.read(dir, name);
        Set<String> before = record.versions.get(since);
        if (before == null || since > latest.version()) {
            throw new HashListException("list " + name + " has no exported version " + since + " (latest: " + latest.version() + ")");
        }
        HashList full = HashList.of(Json.MAPPER.readTree(latest.file()).get("list"));
        if (!record.withFaces.get(since).equals(full.withFaces())) {
            return latest;
        }
        Set<String> now = new java.util.HashSet<>();
        full.added().forEach(e -> now.add(e.id()));
        List<ListEntry> added = full.added().stream().filter(e -> !before.contains(e.id())).toList();
        List<String> removed = before.stream().filter(id -> !now.contains(id)).sorted().toList();
        HashList delta = new HashList(full.name(), full.version(), since, full.issuedAt(), full.expiresAt(), full.holderKeyId(),
                full.embedder(), full.sketchKey(), full.collections(), added, removed);
        if (!full.holderKeyId().equals(HolderKey.id(key.publicKey()))) {
            throw new HashListException("list " + name + " was signed by key " + full.holderKeyId() + ", the holder key is now "
                    + HolderKey.id(key.publicKey()) + ": export a full list");
        }
        return new Published(SignedList.sign(delta, key), full.version(), since, "\"v" + full.version() + "-from-" + since + "\"");
    }

    private static String checkName(String name) throws HashListException {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._+-]{0,127}")) {
            throw new HashListException("not a list name");
        }
        return name;
    }
}
