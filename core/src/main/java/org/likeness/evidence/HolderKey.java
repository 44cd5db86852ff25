package org.likeness.evidence;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The data holder's Ed25519 signing key (the JDK's EdDSA): private key as PKCS#8 in {@code holder-ed25519.key} (owner
 * read/write only), public key as X.509 SubjectPublicKeyInfo PEM in {@code holder-ed25519.pub}, both in the registry's
 * key folder ($LIKENESS_HOME/registry). Created on first use. Its id is the first 16 hex digits of SHA-256 of the encoded
 * public key.
 */
public final class HolderKey {
    static final String ALGORITHM = "Ed25519";
    private static final String PRIVATE_FILE = "holder-ed25519.key", PUBLIC_FILE = "holder-ed25519.pub";

    private final PrivateKey privateKey;
    private final PublicKey publicKey;

    private HolderKey(PrivateKey privateKey, PublicKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    /** The key in {@code dir}, created (and its public half written) when there is none. */
    public static HolderKey loadOrCreate(Path dir) throws IOException {
        Path priv = dir.resolve(PRIVATE_FILE), pub = dir.resolve(PUBLIC_FILE);
        try {
            if (Files.exists(priv)) {
                byte[] der = Base64.getMimeDecoder().decode(strip(Files.readString(priv)));
                PrivateKey k = KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der));
                PublicKey p = readPublic(pub);
                HolderKey loaded = new HolderKey(k, p);
                // a statement signed with a private key that is not the published one's would never verify
                byte[] probe = "likeness holder key pair check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                if (!verify(p, probe, loaded.sign(probe))) {
                    throw new IOException(priv + " and " + pub + " are not one key pair: restore the pair that was published"
                            + " (verify --export-key), or move both aside to make a new one");
                }
                return loaded;
            }
            Files.createDirectories(dir);
            KeyPair kp = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
            write(priv, pem("PRIVATE KEY", kp.getPrivate().getEncoded()), true);
            write(pub, pem("PUBLIC KEY", kp.getPublic().getEncoded()), false);
            return new HolderKey(kp.getPrivate(), kp.getPublic());
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException(priv + ": not a usable Ed25519 holder key (" + e.getMessage() + ")", e);
        }
    }

    /** The public key in {@code dir} (null when none was created yet). */
    public static PublicKey publicKeyIn(Path dir) throws IOException {
        Path pub = dir.resolve(PUBLIC_FILE);
        return Files.exists(pub) ? readPublic(pub) : null;
    }

    public static PublicKey readPublic(Path pem) throws IOException {
        try {
            return decodePublic(Base64.getMimeDecoder().decode(strip(Files.readString(pem))));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException(pem + ": not an Ed25519 public key (" + e.getMessage() + ")", e);
        }
    }

    public static PublicKey decodePublic(byte[] spki) throws GeneralSecurityException {
        return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(spki));
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    public String publicPem() {
        return pem("PUBLIC KEY", publicKey.getEncoded());
    }

    public static String id(PublicKey k) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(k.getEncoded())).substring(0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    public byte[] sign(byte[] message) {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initSign(privateKey);
            s.update(message);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    public static boolean verify(PublicKey key, byte[] message, byte[] signature) {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initVerify(key);
            s.update(message);
            return s.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String strip(String pem) {
        return pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static void write(Path p, String text, boolean secret) throws IOException {
        Files.writeString(p, text, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        if (secret) {
            try {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // Windows: the folder's ACL applies
            }
        }
    }
}
