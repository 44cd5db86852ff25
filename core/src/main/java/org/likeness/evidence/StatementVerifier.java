package org.likeness.evidence;

import org.likeness.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.likeness.registry.LogEntry;
import org.likeness.registry.Registry;
import org.likeness.registry.Release;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Checks a signed statement ({@link EvidenceStatement}): the Ed25519 signature over the canonical statement, that the
 * signing key is the one the verifier trusts (the holder's exported public key), and, given the registry, that its log
 * is intact, that the statement's log head is the hash of that log entry, and that every release it cites is the
 * registry's release record and its logged entry, unchanged.
 */
public final class StatementVerifier {
    /** One check: what was checked, whether it held, and the detail. */
    public record Check(String what, boolean ok, String detail) {
    }

    private static final java.util.Set<String> TOP_LEVEL = java.util.Set.of("statement", "signature");
    private static final java.util.Set<String> SIGNATURE_MEMBERS = java.util.Set.of("algorithm", "key_id", "public_key", "signed", "value");

    private StatementVerifier() {
    }

    /**
     * @param trusted  the holder's public key the verifier trusts; null to check only that the statement is self-consistent
     *                 (then the signer is not established, and that check fails)
     * @param registry the registry to check the releases and log against, or null to skip those checks
     */
    public static List<Check> verify(JsonNode file, PublicKey trusted, Registry registry) {
        List<Check> out = new ArrayList<>();
        JsonNode st = file.get("statement"), sig = file.get("signature");
        if (st == null || !st.isObject() || sig == null || !sig.isObject()) {
            out.add(new Check("layout", false, "not a signed statement: needs the objects \"statement\" and \"signature\""));
            return out;
        }
        String extra = unexpectedMembers(file, TOP_LEVEL) + unexpectedMembers(sig, SIGNATURE_MEMBERS);
        if (!extra.isEmpty()) {
            out.add(new Check("layout", false, "members outside what is signed that a signed statement does not have: " + extra.strip()
                    + " (nothing but \"statement\" is signed; anything added beside it is not the holder's)"));
            return out;
        }
        if (!EvidenceStatement.FORMAT.equals(st.path("format").asText())) {
            out.add(new Check("layout", false, "format is " + st.path("format") + ", expected " + EvidenceStatement.FORMAT));
            return out;
        }
        PublicKey embedded;
        try {
            embedded = HolderKey.decodePublic(Base64.getDecoder().decode(sig.path("public_key").asText()));
            byte[] value = Base64.getDecoder().decode(sig.path("value").asText());
            boolean ok = HolderKey.ALGORITHM.equals(sig.path("algorithm").asText())
                    && HolderKey.verify(embedded, CanonicalJson.bytes(st), value);
            out.add(new Check("signature", ok, ok ? "Ed25519 signature over the canonical statement is valid (key " + HolderKey.id(embedded) + ")"
                    : "the Ed25519 signature does not match the statement: it was altered after signing, or signed by another key"));
            String statedId = sig.path("key_id").asText();
            boolean idOk = statedId.equals(HolderKey.id(embedded)) && EvidenceStatement.SIGNED.equals(sig.path("signed").asText());
            out.add(new Check("signature fields", idOk, idOk ? "key_id is the signing key's id"
                    : !statedId.equals(HolderKey.id(embedded)) ? "key_id " + statedId + " is not the id of the signing key " + HolderKey.id(embedded)
                    : "\"signed\" is not " + EvidenceStatement.SIGNED));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            out.add(new Check("signature", false, "unreadable public key or signature: " + e.getMessage()));
            return out;
        }
        if (trusted == null) {
            out.add(new Check("signer", false, "no trusted holder key given (--public-key, or a registry holder key): who signed is not established"));
        } else {
            boolean same = Arrays.equals(trusted.getEncoded(), embedded.getEncoded());
            out.add(new Check("signer", same, same ? "signed by the holder's key " + HolderKey.id(trusted)
                    : "signed by key " + HolderKey.id(embedded) + ", not the holder's key " + HolderKey.id(trusted)));
        }
        if (registry == null) {
            return out;
        }
        // everything `log verify` checks: the chain, the head file outside the database (a cut log), the rows against the log
        org.likeness.registry.RegistryVerification rv = registry.verify();
        out.add(new Check("log", rv.intact(), rv.intact() ? "registry log intact, " + rv.chain().entries() + " entries, head file and rows agree"
                : "registry " + rv.problem()));
        long headSeq = st.path("registry_log").path("entries").asLong(-1);
        String head = st.path("registry_log").path("head").asText();
        List<LogEntry> at = headSeq > 0 ? registry.log(headSeq, 1) : List.of();
        boolean headOk = !at.isEmpty() && at.get(0).seq() == headSeq && at.get(0).hash().equals(head);
        out.add(new Check("log head", headOk, headOk ? "the log's entry " + headSeq + " has the stated head " + head.substring(0, 12) + "…"
                : at.isEmpty() || at.get(0).seq() != headSeq ? "the log has no entry " + headSeq + " (cut back after signing, or another registry)"
                : "the log's entry " + headSeq + " does not have the stated head hash " + head));
        List<Release> releases = registry.releases(null);
        for (JsonNode a : st.path("accused")) {
            String recipient = a.path("recipient").asText();
            if (a.path("releases").isEmpty()) {
                out.add(new Check("release", false, recipient + ": the statement cites no release to this recipient"));
            }
            for (JsonNode r : a.path("releases")) {
                String collection = r.path("collection").asText();
                Release rec = releases.stream().filter(x -> x.collection().equals(collection) && x.recipient().equals(recipient)).findFirst().orElse(null);
                boolean recOk = rec != null && rec.keyId().equals(r.path("key_id").asText()) && rec.images() == r.path("images").asInt()
                        && rec.releasedAt().toString().equals(r.path("released_at").asText());
                out.add(new Check("release", recOk, collection + " to " + recipient + (recOk ? ": matches the registry's release record"
                        : rec == null ? ": no such release in the registry" : ": differs from the registry's release record (key, images or time)")));
                JsonNode le = r.path("log_entry");
                List<LogEntry> e = le.isObject() ? registry.log(le.path("seq").asLong(), 1) : List.of();
                boolean entryOk = !e.isEmpty() && e.get(0).seq() == le.path("seq").asLong()
                        && Arrays.equals(CanonicalJson.bytes(CanonicalJson.tree(e.get(0).fields())), CanonicalJson.bytes(le))
                        && e.get(0).seq() <= headSeq;
                String about = entryOk ? releaseMismatch(e.get(0), collection, recipient, r.path("key_id").asText()) : null;
                out.add(new Check("release log entry", entryOk && about == null, collection + " to " + recipient + (!entryOk
                        ? ": the cited log entry is missing from the log or differs from it"
                        : about != null ? ": the cited log entry " + e.get(0).seq() + " is in the log but " + about
                        : ": log entry " + le.path("seq").asLong() + " (" + e.get(0).action() + ") is in the log, unchanged")));
            }
        }
        return out;
    }

    /** Why a log entry is not the release of {@code collection} to {@code recipient} under {@code keyId}, or null when it is. */
    private static String releaseMismatch(LogEntry e, String collection, String recipient, String keyId) {
        if (!e.action().equals("collection.release")) {
            return "records " + e.action() + ", not a release";
        }
        try {
            JsonNode p = Json.MAPPER.readTree(e.payload());
            if (!p.path("collection").asText().equals(collection) || !p.path("recipient").asText().equals(recipient)) {
                return "records the release of " + p.path("collection").asText() + " to " + p.path("recipient").asText();
            }
            return p.path("key").asText().equals(keyId) ? null : "records key " + p.path("key").asText() + ", not " + keyId;
        } catch (java.io.IOException notJson) {
            return "its payload is not JSON";
        }
    }

    private static String unexpectedMembers(JsonNode node, java.util.Set<String> allowed) {
        StringBuilder out = new StringBuilder();
        node.fieldNames().forEachRemaining(n -> {
            if (!allowed.contains(n)) {
                out.append(" \"").append(n).append('"');
            }
        });
        return out.toString();
    }

    /**
     * Reads a statement file's JSON strictly: a member named twice (one reader would show the first, another check the
     * last) or anything after the JSON value is refused, so that the file shows nothing the check did not see.
     */
    public static JsonNode read(java.nio.file.Path p) throws java.io.IOException {
        ObjectMapper strict = Json.MAPPER.copy().enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        return strict.readTree(p.toFile());
    }
}
