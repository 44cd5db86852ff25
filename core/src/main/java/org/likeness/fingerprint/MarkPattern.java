package org.likeness.fingerprint;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

/**
 * The keyed ±1 signs of one (recipient, image): seed = HMAC-SHA256(secret, "likeness-fingerprint-v1\0" ‖ recipient ‖ "\0" ‖ image),
 * signs = the bits of the AES-256-CTR keystream under that seed (zero IV). Without the secret the signs are indistinguishable
 * from fair coin flips, and the signs of different recipients or images are independent: this is what makes the detector's
 * null distribution hold whatever the photo (see {@link FingerprintDetector}).
 */
public final class MarkPattern {
    private static final String DOMAIN = "likeness-fingerprint-v1\0";

    private MarkPattern() {
    }

    /** {@code n} signs, each +1 or −1, for this key, recipient and image. */
    public static float[] signs(FingerprintKey key, String recipientId, String imageId, int n) {
        if (recipientId == null || recipientId.isEmpty() || imageId == null || imageId.isEmpty()) {
            throw new IllegalArgumentException("a fingerprint needs a non-empty recipient id and image id");
        }
        byte[] bits = keystream(seed(key, recipientId, imageId), (n + 7) / 8);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = ((bits[i >>> 3] >>> (i & 7)) & 1) == 0 ? -1f : 1f;
        }
        return out;
    }

    private static byte[] seed(FingerprintKey key, String recipientId, String imageId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.secret(), "HmacSHA256"));
            // NUL separators: ids never contain NUL in practice, and "a\0bc" ≠ "ab\0c" keeps (recipient, image) unambiguous
            return mac.doFinal((DOMAIN + recipientId + "\0" + imageId).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks HMAC-SHA256", e);
        }
    }

    private static byte[] keystream(byte[] seed, int bytes) {
        try {
            Cipher aes = Cipher.getInstance("AES/CTR/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(seed, "AES"), new IvParameterSpec(new byte[16]));
            return aes.doFinal(new byte[bytes]);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks AES-256-CTR", e);
        }
    }
}
