package org.likeness.evidence;

import org.likeness.json.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * The bytes that are signed (docs/FORMATS.md "Evidence statement"): UTF-8 JSON with the members of every object sorted by
 * key (by UTF-16 code units, as {@link String#compareTo}), no whitespace outside strings, strings escaped as Jackson does
 * (only {@code "}, {@code \}, and control characters), integers as plain digits, other numbers in Java's shortest
 * round-trip form ({@link Double#toString}). A parsed statement re-serialises to the same bytes, so a verifier needs no
 * other copy.
 */
public final class CanonicalJson {
    private static final ObjectMapper MAPPER = Json.MAPPER;

    private CanonicalJson() {
    }

    public static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(sorted(node)).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    public static JsonNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            List<String> names = new ArrayList<>();
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                names.add(it.next());
            }
            Collections.sort(names);
            for (String n : names) {
                out.set(n, sorted(node.get(n)));
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            node.forEach(x -> out.add(sorted(x)));
            return out;
        }
        if (node.isFloatingPointNumber()) {
            return JsonNodeFactory.instance.numberNode(node.doubleValue());
        }
        return node;
    }
}
