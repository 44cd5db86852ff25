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
            return HexFormat.of().formatHex(bytes, MAGIC.length, MAGIC.length + 8)
                    + HexFormat.of().formatHex(bytes, MAGIC.length + SALT_BYTES + 1, MAGIC.length + SALT_BYTES + 5); // + IV
        }

        @Override
        public String toString() {
            return "GallerySnapshot[" + id() + ", " + bytes.length + " bytes]"; // never the key
        }
    }

    private GallerySnapshot() {
    }

    static Sealed seal(TemplateGallery g, TemplateCipher cipher) {
        return seal(java.util.List.of(g), cipher).get(0);
    }

    /** Several galleries (the blocks of one gallery) sealed under one derived key, each with its own IV. */
    static java.util.List<Sealed> seal(java.util.List<TemplateGallery> galleries, TemplateCipher cipher) {
        byte[] salt = new byte[SALT_BYTES];
        new SecureRandom().nextBytes(salt);
        byte[] key = cipher.deriveKey(KIND, salt);
        try {
            java.util.List<Sealed> out = new java.util.ArrayList<>();
            for (TemplateGallery g : galleries) {
                out.add(sealOne(g, cipher, key, salt));
            }
            return out;
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private static Sealed sealOne(TemplateGallery g, TemplateCipher cipher, byte[] key, byte[] salt) {
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
            if (text != null) {
                Arrays.fill(text, (byte) 0);
            }
        }
    }

    /**
     * A gallery sealed under a fresh key derived from {@code key} (a gallery built outside a registry: tests, and
     * the blocks of a partitioned identification, each sealed on its own).
     */
    public static Sealed seal(TemplateGallery g, MasterKey key) {
        return seal(g, new TemplateCipher(key));
    }

    /** {@link TemplateGallery#blocks} of a gallery, sealed under one key derived from {@code key}. */
    public static java.util.List<Sealed> sealBlocks(TemplateGallery g, int blocks, MasterKey key) {
        java.util.List<TemplateGallery> parts = g.blocks(blocks, TemplateGallery.Search.AUTO);
        try {
            return seal(parts, new TemplateCipher(key));
        } finally {
            parts.forEach(TemplateGallery::close);
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
