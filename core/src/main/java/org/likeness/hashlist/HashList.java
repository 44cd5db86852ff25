package org.likeness.hashlist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The signed content of a list file (docs/HASHLISTS.md): a full list ({@code base} null) or a delta from version
 * {@code base} to {@code version} (entries added, ids removed).
 *
 * @param sketchKey the key of the face sketches' projection (hex), or null in a list without faces
 * @param embedder  the embedder the sketches come from (a listing's faces must come from the same), or null
 */
public record HashList(String name, long version, Long base, Instant issuedAt, Instant expiresAt, String holderKeyId,
                       String embedder, String sketchKey, List<ListCollection> collections, List<ListEntry> added,
                       List<String> removed) {
    public static final String FORMAT = "likeness-hashlist/1";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    public HashList {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._+-]{0,127}")) {
            throw new IllegalArgumentException("list name '" + name + "' may hold only letters, digits, '.', '_', '+', '-'");
        }
        if (version < 1 || (base != null && (base < 1 || base >= version))) {
            throw new IllegalArgumentException("version " + version + (base == null ? "" : " from " + base) + " is not a valid version");
        }
        collections = List.copyOf(collections);
        added = List.copyOf(added);
        removed = List.copyOf(removed);
    }

    public boolean delta() {
        return base != null;
    }

    public boolean withFaces() {
        return sketchKey != null;
    }

    public byte[] sketchKeyBytes() {
        return sketchKey == null ? null : HexFormat.of().parseHex(sketchKey);
    }

    public JsonNode json() {
        ObjectNode o = F.objectNode();
        o.put("name", name);
        o.put("version", version);
        if (base == null) {
            o.putNull("base");
        } else {
            o.put("base", base);
        }
        o.put("issued_at", issuedAt.toString());
        o.put("expires_at", expiresAt.toString());
        o.put("holder_key", holderKeyId);
        o.put("embedder", embedder);
        o.put("sketch_key", sketchKey);
        o.put("sketch_bits", FaceSketch.BITS);
        ArrayNode cs = o.putArray("collections");
        for (ListCollection c : collections) {
            cs.addObject().put("name", c.name()).put("owner", c.owner()).put("contact", c.contact());
        }
        ArrayNode es = o.putArray("added");
        for (ListEntry e : added) {
            ObjectNode x = es.addObject().put("id", e.id()).put("collection", e.collection()).put("pdq", e.pdq());
            ArrayNode fs = x.putArray("faces");
            e.faces().forEach(fs::add);
        }
        ArrayNode rs = o.putArray("removed");
        removed.forEach(rs::add);
        return o;
    }

    /** Reads the content (already verified); every malformed field is an IllegalArgumentException saying which. */
    public static HashList of(JsonNode o) {
        List<ListCollection> cs = new ArrayList<>();
        for (JsonNode c : array(o, "collections")) {
            cs.add(new ListCollection(text(c, "name", true), text(c, "owner", false), text(c, "contact", false)));
        }
        List<ListEntry> es = new ArrayList<>();
        for (JsonNode e : array(o, "added")) {
            List<String> fs = new ArrayList<>();
            for (JsonNode f : array(e, "faces")) {
                fs.add(f.asText());
            }
            es.add(new ListEntry(text(e, "id", true), text(e, "collection", true), text(e, "pdq", false), fs));
        }
        List<String> rs = new ArrayList<>();
        for (JsonNode r : array(o, "removed")) {
            rs.add(r.asText());
        }
        JsonNode base = o.get("base");
        if (o.path("sketch_key").isTextual() && o.path("sketch_bits").asInt() != FaceSketch.BITS) {
            throw new IllegalArgumentException("sketch_bits " + o.path("sketch_bits") + ", this version reads " + FaceSketch.BITS);
        }
        return new HashList(text(o, "name", true), o.path("version").asLong(0), base == null || base.isNull() ? null : base.asLong(),
                Instant.parse(text(o, "issued_at", true)), Instant.parse(text(o, "expires_at", true)), text(o, "holder_key", true),
                text(o, "embedder", false), text(o, "sketch_key", false), cs, es, rs);
    }

    private static Iterable<JsonNode> array(JsonNode o, String field) {
        JsonNode a = o.get(field);
        if (a == null || !a.isArray()) {
            throw new IllegalArgumentException("no array '" + field + "'");
        }
        return a;
    }

    private static String text(JsonNode o, String field, boolean required) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new IllegalArgumentException("no '" + field + "'");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException("'" + field + "' is not text");
        }
        return v.asText();
    }
}
