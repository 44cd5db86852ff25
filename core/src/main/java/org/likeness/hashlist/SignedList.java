package org.likeness.hashlist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.likeness.evidence.CanonicalJson;
import org.likeness.evidence.HolderKey;
import org.likeness.json.Json;

import java.io.IOException;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.function.Function;

/**
 * A list file: {@code {"format", "list", "signature": {"algorithm": "Ed25519", "key_id", "value"}}}, the signature over
 * the canonical JSON of {@code list} (sorted keys, no white space: {@link CanonicalJson}), so that a verifier needs no
 * other copy of the bytes that were signed.
 */
public final class SignedList {
    static final String ALGORITHM = "Ed25519";
    /**
     * A list file parses one way only: a repeated key (Jackson keeps the last value, other readers the first) or bytes
     * after the file's object are refused, so no reader can see other content than the one the signature covers.
     */
    private static final com.fasterxml.jackson.databind.ObjectReader STRICT = Json.MAPPER.reader()
            .with(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private SignedList() {
    }

    public static byte[] sign(HashList list, HolderKey key) throws IOException {
        JsonNode content = list.json();
        ObjectNode file = JsonNodeFactory.instance.objectNode();
        file.put("format", HashList.FORMAT);
        file.set("list", content);
        file.putObject("signature").put("algorithm", ALGORITHM).put("key_id", HolderKey.id(key.publicKey()))
                .put("value", Base64.getEncoder().encodeToString(key.sign(CanonicalJson.bytes(content))));
        return Json.MAPPER.writeValueAsBytes(file);
    }

    /**
     * The verified list, or a refusal saying why in one line: not a list, unknown key, signature that does not verify
     * (tampered), expired at {@code now}.
     *
     * @param trusted public key by key id, null when the id is not trusted
     */
    public static HashList verify(byte[] bytes, Function<String, PublicKey> trusted, Instant now) throws HashListException {
        JsonNode file;
        try {
            file = STRICT.readTree(bytes);
        } catch (IOException e) {
            throw new HashListException("not a hash list: malformed JSON (" + firstLine(e.getMessage()) + "); tampered or truncated");
        }
        if (file == null || !file.isObject() || !HashList.FORMAT.equals(file.path("format").asText(null))) {
            throw new HashListException("not a hash list (format is not " + HashList.FORMAT + ")");
        }
        JsonNode content = file.get("list");
        JsonNode sig = file.get("signature");
        if (content == null || !content.isObject() || sig == null || !ALGORITHM.equals(sig.path("algorithm").asText(null))
                || !sig.path("key_id").isTextual() || !sig.path("value").isTextual()) {
            throw new HashListException("not a hash list: no list, or no Ed25519 signature");
        }
        String keyId = sig.get("key_id").asText();
        PublicKey key = keyId.matches("[0-9a-f]{16}") ? trusted.apply(keyId) : null;
        if (key == null) {
            throw new HashListException("signed by unknown key " + printable(keyId)
                    + ": refused (trust the holder's public key first: likeness hashlist trust KEYFILE)");
        }
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(sig.get("value").asText());
        } catch (IllegalArgumentException e) {
            throw new HashListException("signature is not base64: tampered");
        }
        if (!HolderKey.verify(key, CanonicalJson.bytes(content), signature)) {
            throw new HashListException("signature does not verify with key " + keyId + ": the list was changed after signing (tampered)");
        }
        HashList list;
        try {
            list = HashList.of(content);
        } catch (RuntimeException e) {
            throw new HashListException("signed, but not a list this version reads: " + firstLine(e.getMessage()));
        }
        if (!keyId.equals(list.holderKeyId())) {
            throw new HashListException("names holder key " + printable(list.holderKeyId()) + " but is signed by " + keyId);
        }
        if (!now.isBefore(list.expiresAt())) {
            throw new HashListException("expired at " + list.expiresAt() + " (version " + list.version()
                    + "): refused; ask the holder for a current list");
        }
        return list;
    }

    private static String printable(String s) {
        String t = s == null ? "null" : s.replaceAll("[^\\x20-\\x7e]", "?");
        return t.length() > 40 ? t.substring(0, 40) + "…" : t;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
