package org.likeness.hashlist;

import org.likeness.evidence.HolderKey;
import org.likeness.files.PrivateFiles;
import org.likeness.json.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A marketplace's hash lists, as files under {@code $LIKENESS_HOME/hashlists} (docs/HASHLISTS.md, "Marketplace
 * store"): {@code trusted/KEYID.pub}, the holders' public keys it trusts; {@code lists/KEYID/NAME.json}, the current
 * content of each list (a full list, deltas applied). A refused list changes nothing: the new content is written to a
 * temporary file and moved over the old one only once every check has passed.
 */
public final class HashListStore {
    /** What an import did. */
    public record Imported(String name, String holderKey, long version, Long base, int added, int removed, int entries) {
    }

    private final Path root;

    public HashListStore(Path home) {
        this.root = home.resolve("hashlists");
    }

    public Path root() {
        return root;
    }

    /** Trusts a holder's public key (PEM); returns its id. */
    public String trust(Path pem) throws IOException {
        PublicKey key = HolderKey.readPublic(pem);
        String id = HolderKey.id(key);
        Path dir = PrivateFiles.createDirectories(root.resolve("trusted"));
        Path to = dir.resolve(id + ".pub");
        Path tmp = dir.resolve(id + ".pub.tmp");
        Files.writeString(tmp, "-----BEGIN PUBLIC KEY-----\n" + java.util.Base64.getMimeEncoder(64, "\n".getBytes())
                .encodeToString(key.getEncoded()) + "\n-----END PUBLIC KEY-----\n");
        Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return id;
    }

    /** The trusted key of that id, or null. */
    public PublicKey trusted(String keyId) {
        Path p = root.resolve("trusted").resolve(keyId + ".pub");
        try {
            return Files.isRegularFile(p) ? HolderKey.readPublic(p) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Verifies and applies a list file. Refused (a {@link HashListException} with one line, the held version kept):
     * unreadable, not a list, unknown key, tampered, expired, not newer than the held version, a delta from another
     * version than the held one.
     */
    public Imported importList(byte[] bytes, Instant now) throws HashListException, IOException {
        HashList list = SignedList.verify(bytes, this::trusted, now);
        HashList held = held(list.holderKeyId(), list.name());
        HashList next;
        if (!list.delta()) {
            if (held != null && list.version() <= held.version()) {
                throw new HashListException("version " + list.version() + " of " + list.name() + " is not newer than the held version "
                        + held.version() + ": refused, version " + held.version() + " kept");
            }
            next = list;
        } else {
            if (held == null) {
                throw new HashListException("out-of-order delta: from version " + list.base() + " of " + list.name()
                        + ", but no version is held: import a full list first");
            }
            if (held.version() != list.base()) {
                throw new HashListException("out-of-order delta: from version " + list.base() + " to " + list.version() + " of "
                        + list.name() + ", but version " + held.version() + " is held: refused, version " + held.version() + " kept");
            }
            if (!java.util.Objects.equals(held.sketchKey(), list.sketchKey())) {
                throw new HashListException("delta to version " + list.version() + " uses other face sketches than version "
                        + held.version() + ": refused, import a full list");
            }
            Map<String, ListEntry> entries = new LinkedHashMap<>();
            held.added().forEach(e -> entries.put(e.id(), e));
            list.removed().forEach(entries::remove);
            list.added().forEach(e -> entries.put(e.id(), e));
            next = new HashList(list.name(), list.version(), null, list.issuedAt(), list.expiresAt(), list.holderKeyId(),
                    list.embedder(), list.sketchKey(), list.collections(), new ArrayList<>(entries.values()), List.of());
        }
        Path dir = PrivateFiles.createDirectories(root.resolve("lists").resolve(list.holderKeyId()));
        Path to = dir.resolve(list.name() + ".json");
        Path tmp = dir.resolve(list.name() + ".json.tmp");
        PrivateFiles.writeDurably(tmp, Json.MAPPER.writeValueAsBytes(next.json()));
        Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        PrivateFiles.syncDirectory(dir);
        return new Imported(list.name(), list.holderKeyId(), list.version(), list.base(), list.added().size(), list.removed().size(),
                next.added().size());
    }

    /** The held content of a list (a full list), or null. */
    public HashList held(String keyId, String name) throws IOException {
        Path p = root.resolve("lists").resolve(keyId).resolve(name + ".json");
        if (!Files.isRegularFile(p)) {
            return null;
        }
        try {
            return HashList.of(Json.MAPPER.readTree(p.toFile()));
        } catch (RuntimeException e) {
            throw new IOException(p + ": the held list is unreadable (" + e.getMessage() + "); import a full list again", e);
        }
    }

    /** Every held list (a list whose holder key is no longer trusted is left out). */
    public List<HashList> held() throws IOException {
        List<HashList> out = new ArrayList<>();
        Path lists = root.resolve("lists");
        if (!Files.isDirectory(lists)) {
            return out;
        }
        try (Stream<Path> keys = Files.list(lists)) {
            for (Path k : keys.sorted().toList()) {
                if (trusted(k.getFileName().toString()) == null) {
                    continue;
                }
                try (Stream<Path> files = Files.list(k)) {
                    for (Path f : files.filter(x -> x.getFileName().toString().endsWith(".json")).sorted().toList()) {
                        String n = f.getFileName().toString();
                        out.add(held(k.getFileName().toString(), n.substring(0, n.length() - ".json".length())));
                    }
                }
            }
        }
        return out;
    }
}
