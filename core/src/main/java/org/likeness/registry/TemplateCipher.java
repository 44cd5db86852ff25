package org.likeness.registry;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM (JCA) for the two layers of template protection: a subject's data key wrapped by
 * the master key, and each template encrypted by the subject's data key. Every ciphertext is
 * {@code version(1) | iv(12) | ciphertext | tag(16)}, and the associated data binds it to its
 * subject (and model), so a row copied onto another subject fails to decrypt.
 */
final class TemplateCipher {
    private static final byte VERSION = 1;
    /** NIST SP 800-38D: a 96-bit IV is the recommended length for GCM. */
    private static final int IV_BYTES = 12;
    /** NIST SP 800-38D: the full 128-bit tag. */
    private static final int TAG_BITS = 128;
    private static final String KEY_CHECK_PLAINTEXT = "likeness registry key check v1";

    private final MasterKey master;
    private final SecureRandom random = new SecureRandom();

    TemplateCipher(MasterKey master) {
        this.master = master;
    }

    byte[] newDataKey() {
        byte[] k = new byte[MasterKey.BYTES];
        random.nextBytes(k);
        return k;
    }

    /** A value stored at init; decrypting it proves the master key belongs to this registry. */
    String keyCheckValue() {
        return Base64.getEncoder().encodeToString(
                seal(master.bytes(), KEY_CHECK_PLAINTEXT.getBytes(StandardCharsets.UTF_8), aad("kcv", "")));
    }

    void verifyKeyCheckValue(String stored) {
        try {
            byte[] plain = open(master.bytes(), Base64.getDecoder().decode(stored), aad("kcv", ""));
            if (!KEY_CHECK_PLAINTEXT.equals(new String(plain, StandardCharsets.UTF_8))) {
                throw mismatch();
            }
        } catch (AEADBadTagException | IllegalArgumentException e) {
            throw mismatch();
        }
    }

    private MasterKeyException mismatch() {
        return new MasterKeyException("master key does not match this registry (key from "
                + master.origin() + "): use the key created by `registry init` for this database");
    }

    byte[] wrap(byte[] dataKey, String subjectId) {
        return seal(master.bytes(), dataKey, aad("subject-key", subjectId));
    }

    byte[] unwrap(byte[] wrapped, String subjectId) {
        try {
            return open(master.bytes(), wrapped, aad("subject-key", subjectId));
        } catch (AEADBadTagException e) {
            throw new MasterKeyException("data key of subject '" + subjectId
                    + "' fails authentication: master key does not match this registry, or the row was altered");
        }
    }

    byte[] encryptTemplate(byte[] dataKey, String subjectId, String modelId, float[] template) {
        ByteBuffer buf = ByteBuffer.allocate(template.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(template);
        byte[] plain = buf.array();
        try {
            return seal(dataKey, plain, aad("template", subjectId + "\0" + modelId));
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    float[] decryptTemplate(byte[] dataKey, byte[] sealed, String subjectId, String modelId, long enrolmentId) {
        byte[] plain;
        try {
            plain = open(dataKey, sealed, aad("template", subjectId + "\0" + modelId));
        } catch (AEADBadTagException e) {
            throw new MasterKeyException("template " + enrolmentId + " of subject '" + subjectId
                    + "' fails authentication: the row was altered or belongs to another subject");
        }
        float[] out = new float[plain.length / Float.BYTES];
        ByteBuffer.wrap(plain).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        Arrays.fill(plain, (byte) 0);
        return out;
    }

    /** The data key of a collection's face templates, bound to the collection's name. */
    byte[] wrapCollectionKey(byte[] dataKey, String collection) {
        return seal(master.bytes(), dataKey, aad("collection-key", collection));
    }

    byte[] unwrapCollectionKey(byte[] wrapped, String collection) {
        try {
            return open(master.bytes(), wrapped, aad("collection-key", collection));
        } catch (AEADBadTagException e) {
            throw new MasterKeyException("key of collection '" + collection
                    + "' fails authentication: master key does not match this registry, or the row was altered");
        }
    }

    /** A fingerprint secret, bound to its id. */
    byte[] wrapFingerprintKey(byte[] secret, String keyId) {
        return seal(master.bytes(), secret, aad("fingerprint-key", keyId));
    }

    byte[] unwrapFingerprintKey(byte[] wrapped, String keyId) {
        try {
            return open(master.bytes(), wrapped, aad("fingerprint-key", keyId));
        } catch (AEADBadTagException e) {
            throw new MasterKeyException("fingerprint key " + keyId
                    + " fails authentication: master key does not match this registry, or the row was altered");
        }
    }

    /** A 256-bit key derived from the master key for one purpose and salt (HMAC-SHA256 as a PRF, as {@link #mac}). */
    byte[] deriveKey(String purpose, byte[] salt) {
        try {
            javax.crypto.Mac derive = javax.crypto.Mac.getInstance("HmacSHA256");
            derive.init(new SecretKeySpec(master.bytes(), "HmacSHA256"));
            derive.update(aad("derived-key", purpose));
            return derive.doFinal(salt);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable in this JVM", e);
        }
    }

    /** AES-256-GCM under any 256-bit key, bound to {@code kind}: for data that leaves the registry sealed. */
    byte[] sealWith(byte[] key, byte[] plain, String kind) {
        return seal(key, plain, aad(kind, ""));
    }

    static byte[] openWith(byte[] key, byte[] sealed, String kind) throws AEADBadTagException {
        return open(key, sealed, aad(kind, ""));
    }

    /** HMAC-SHA256 of the text under a key derived from the master key for the purpose; lower-case hex. */
    String mac(String purpose, String text) {
        try {
            javax.crypto.Mac derive = javax.crypto.Mac.getInstance("HmacSHA256");
            derive.init(new SecretKeySpec(master.bytes(), "HmacSHA256"));
            byte[] sub = derive.doFinal(aad("mac-key", purpose));
            javax.crypto.Mac m = javax.crypto.Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(sub, "HmacSHA256"));
            Arrays.fill(sub, (byte) 0);
            return java.util.HexFormat.of().formatHex(m.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable in this JVM", e);
        }
    }

    private static byte[] aad(String kind, String id) {
        return ("likeness/" + kind + "/v1/" + id).getBytes(StandardCharsets.UTF_8);
    }

    private byte[] seal(byte[] key, byte[] plain, byte[] aad) {
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, iv));
            c.updateAAD(aad);
            byte[] ct = c.doFinal(plain);
            ByteBuffer out = ByteBuffer.allocate(1 + IV_BYTES + ct.length);
            return out.put(VERSION).put(iv).put(ct).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable in this JVM", e);
        }
    }

    private static byte[] open(byte[] key, byte[] sealed, byte[] aad) throws AEADBadTagException {
        if (sealed.length < 1 + IV_BYTES + TAG_BITS / 8 || sealed[0] != VERSION) {
            throw new AEADBadTagException("unknown ciphertext format");
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
                    new GCMParameterSpec(TAG_BITS, sealed, 1, IV_BYTES));
            c.updateAAD(aad);
            return c.doFinal(sealed, 1 + IV_BYTES, sealed.length - 1 - IV_BYTES);
        } catch (AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable in this JVM", e);
        }
    }
}
