package org.likeness.registry;

import javax.crypto.AEADBadTagException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A model's gallery sealed for workers that hold no registry (a Spark job's executors): the subjects and templates,
 * AES-256-GCM under a key derived from the master key with a fresh random salt ({@code HMAC-SHA256(master,
 * "likeness/derived-key/v1/gallery-snapshot" ‖ salt)}). The bytes may lie on shared storage or travel as a broadcast;
 * the key travels only as a secret (docs/DECISIONS.md, "Registry data on executors"). The derived key opens this one
 * snapshot and nothing else: the master key, which unwraps every subject's data key, never leaves the driver.
 * Layout: {@code "LGS1" | salt(16) | sealed(version | iv | ciphertext | tag)}.
 */
public final class GallerySnapshot {
    private static final byte[] MAGIC = {'L', 'G', 'S', '1'};
    private static final int SALT_BYTES = 16;
    private static final String KIND = "gallery-snapshot";

    /**
     * @param bytes the sealed snapshot
     * @param key   base64 of the key that opens it: a secret
     */
    public record Sealed(byte[] bytes, String key) {
        /** A short public name of the snapshot (its salt in hex), for logs. */
        public String id() {
            return HexFormat.of().formatHex(bytes, MAGIC.length, MAGIC.length + 8);
        }

        @Override
        public String toString() {
            return "GallerySnapshot[" + id() + ", " + bytes.length + " bytes]"; // never the key
        }
    }

    private GallerySnapshot() {
    }

    static Sealed seal(TemplateGallery g, TemplateCipher cipher) {
        byte[] salt = new byte[SALT_BYTES];
        new SecureRandom().nextBytes(salt);
        byte[] key = cipher.deriveKey(KIND, salt);
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        byte[] text = null;
        try (DataOutputStream out = new DataOutputStream(plain)) {
            g.writeTo(out);
            out.flush();
            text = plain.toByteArray();
            byte[] sealed = cipher.sealWith(key, text, KIND);
            byte[] bytes = new byte[MAGIC.length + SALT_BYTES + sealed.length];
            System.arraycopy(MAGIC, 0, bytes, 0, MAGIC.length);
            System.arraycopy(salt, 0, bytes, MAGIC.length, SALT_BYTES);
            System.arraycopy(sealed, 0, bytes, MAGIC.length + SALT_BYTES, sealed.length);
            return new Sealed(bytes, Base64.getEncoder().encodeToString(key));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            Arrays.fill(key, (byte) 0);
            if (text != null) {
                Arrays.fill(text, (byte) 0);
            }
        }
    }

    /** The gallery in a snapshot; fails with {@link MasterKeyException} when the key is not the snapshot's. */
    public static TemplateGallery open(byte[] bytes, String base64Key, TemplateGallery.Search search) {
        if (bytes.length < MAGIC.length + SALT_BYTES || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
            throw new InvalidInputException("not a gallery snapshot (no LGS1 header)");
        }
        byte[] key = Base64.getDecoder().decode(base64Key.trim());
        byte[] text = null;
        try {
            text = TemplateCipher.openWith(key, Arrays.copyOfRange(bytes, MAGIC.length + SALT_BYTES, bytes.length), KIND);
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(text))) {
                return TemplateGallery.readFrom(in, search);
            }
        } catch (AEADBadTagException e) {
            throw new MasterKeyException("gallery snapshot does not open with the given key (wrong key, or the snapshot was altered)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            Arrays.fill(key, (byte) 0);
            if (text != null) {
                Arrays.fill(text, (byte) 0);
            }
        }
    }
}
