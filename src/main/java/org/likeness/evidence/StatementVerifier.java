package org.likeness.evidence;

import org.likeness.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.likeness.registry.LogEntry;
import org.likeness.registry.LogVerification;
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
        LogVerification lv = registry.verifyLog();
        out.add(new Check("log", lv.intact(), lv.intact() ? "registry log intact, " + lv.entries() + " entries"
                : "registry log broken at entry " + lv.firstBrokenSeq() + ": " + lv.reason()));
        long headSeq = st.path("registry_log").path("entries").asLong(-1);
        String head = st.path("registry_log").path("head").asText();
        List<LogEntry> at = headSeq > 0 ? registry.log(headSeq, 1) : List.of();
        boolean headOk = !at.isEmpty() && at.get(0).seq() == headSeq && at.get(0).hash().equals(head);
        out.add(new Check("log head", headOk, headOk ? "the log's entry " + headSeq + " has the stated head " + head.substring(0, 12) + "…"
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
                        && Arrays.equals(CanonicalJson.bytes(CanonicalJson.tree(EvidenceStatement.entry(e.get(0)))), CanonicalJson.bytes(le))
                        && e.get(0).seq() <= headSeq;
                out.add(new Check("release log entry", entryOk, collection + " to " + recipient + (entryOk
                        ? ": log entry " + le.path("seq").asLong() + " (" + e.get(0).action() + ") is in the log, unchanged"
                        : ": the cited log entry is missing from the log or differs from it")));
            }
        }
        return out;
    }

    /** Reads a statement file's JSON. */
    public static JsonNode read(java.nio.file.Path p) throws java.io.IOException {
        return Json.MAPPER.readTree(p.toFile());
    }
}
