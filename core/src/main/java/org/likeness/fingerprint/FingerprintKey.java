package org.likeness.fingerprint;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The secret that keys every fingerprint of a registry: whoever holds it can make and read marks, nobody else can.
 * Immutable (the secret is copied in and out); {@link #toString()} never shows the secret.
 *
 * @param id     16 hex digits of SHA-256("likeness-fingerprint-key-id\0" ‖ secret): names the key in the registry and in
 *               reports without revealing it
 * @param secret {@value #SECRET_BYTES} random bytes
 */
public record FingerprintKey(String id, byte[] secret) {
    public static final int SECRET_BYTES = 32;
    private static final String ID_DOMAIN = "likeness-fingerprint-key-id\0";

    public FingerprintKey {
        if (secret == null || secret.length != SECRET_BYTES) {
            throw new IllegalArgumentException("a fingerprint key secret must be " + SECRET_BYTES + " bytes, got "
                    + (secret == null ? "none" : secret.length));
        }
        secret = secret.clone();
        String expected = idOf(secret);
        if (!expected.equals(id)) {
            throw new IllegalArgumentException("fingerprint key id " + id + " does not match its secret (expected " + expected + ")");
        }
    }

    /** A key for {@code secret}, its id derived. */
    public static FingerprintKey of(byte[] secret) {
        if (secret == null || secret.length != SECRET_BYTES) {
            throw new IllegalArgumentException("a fingerprint key secret must be " + SECRET_BYTES + " bytes, got "
                    + (secret == null ? "none" : secret.length));
        }
        return new FingerprintKey(idOf(secret), secret);
    }

    /** A fresh random key. */
    public static FingerprintKey generate(SecureRandom random) {
        byte[] s = new byte[SECRET_BYTES];
        random.nextBytes(s);
        return of(s);
    }

    @Override
    public byte[] secret() {
        return secret.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FingerprintKey k && MessageDigest.isEqual(secret, k.secret);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return "FingerprintKey[" + id + "]";
    }

    private static String idOf(byte[] secret) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(ID_DOMAIN.getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(Arrays.copyOf(sha.digest(secret), 8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
