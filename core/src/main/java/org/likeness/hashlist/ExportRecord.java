package org.likeness.hashlist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.likeness.files.PrivateFiles;
import org.likeness.json.Json;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The holder's record of a list, {@code $LIKENESS_HOME/hashlists/exported/NAME.json} (owner-only): its sketch and id
 * keys, and per exported version its entry ids and whether it held faces; beside it {@code NAME.latest.json}, the full
 * signed list of the latest version.
 */
final class ExportRecord {
    byte[] sketchKey;
    byte[] idKey;
    /** The contact last given with --contact (kept for later versions), or null. */
    String contact;
    final java.util.TreeMap<Long, Set<String>> versions = new java.util.TreeMap<>();
    final Map<Long, Boolean> withFaces = new java.util.HashMap<>();

    static ExportRecord read(Path dir, String name) throws IOException {
        ExportRecord s = new ExportRecord();
        Path f = dir.resolve(name + ".json");
        if (!Files.exists(f)) {
            SecureRandom random = new SecureRandom();
            s.sketchKey = new byte[32];
            s.idKey = new byte[32];
            random.nextBytes(s.sketchKey);
            random.nextBytes(s.idKey);
            return s;
        }
        try {
            JsonNode o = Json.MAPPER.readTree(f.toFile());
            s.sketchKey = HexFormat.of().parseHex(o.get("sketch_key").asText());
            s.idKey = HexFormat.of().parseHex(o.get("id_key").asText());
            s.contact = o.path("contact").isTextual() ? o.get("contact").asText() : null;
            for (JsonNode v : o.get("versions")) {
                Set<String> ids = new TreeSet<>();
                v.get("ids").forEach(x -> ids.add(x.asText()));
                s.versions.put(v.get("version").asLong(), ids);
                s.withFaces.put(v.get("version").asLong(), v.get("with_faces").asBoolean());
            }
            return s;
        } catch (RuntimeException e) {
            throw new IOException(f + ": the record of exported versions is unreadable (" + e + ")", e);
        }
    }

    /** The full signed list of the latest version, or null when none was written. */
    static byte[] latest(Path dir, String name) throws IOException {
        Path f = dir.resolve(name + ".latest.json");
        return Files.exists(f) ? Files.readAllBytes(f) : null;
    }

    void write(Path dir, String name, byte[] latestFull) throws IOException {
        PrivateFiles.createDirectories(dir);
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("name", name);
        o.put("sketch_key", HexFormat.of().formatHex(sketchKey));
        o.put("id_key", HexFormat.of().formatHex(idKey));
        o.put("contact", contact);
        var vs = o.putArray("versions");
        for (Map.Entry<Long, Set<String>> v : versions.entrySet()) {
            var x = vs.addObject().put("version", v.getKey()).put("with_faces", withFaces.get(v.getKey()));
            var ids = x.putArray("ids");
            v.getValue().forEach(ids::add);
        }
        Path tmp = dir.resolve(name + ".json.tmp");
        PrivateFiles.writeDurably(tmp, Json.MAPPER.writeValueAsBytes(o));
        Path latestTmp = dir.resolve(name + ".latest.json.tmp");
        PrivateFiles.writeDurably(latestTmp, latestFull);
        Files.move(latestTmp, dir.resolve(name + ".latest.json"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.move(tmp, dir.resolve(name + ".json"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** HMAC-SHA256 of collection, path and content under the list's id key, 128 bits: stable, reveals neither. */
    String entryId(String collection, String path, String sha256) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(idKey, "HmacSHA256"));
            byte[] d = mac.doFinal((collection + "\0" + path + "\0" + sha256).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks HmacSHA256", e);
        }
    }
}
