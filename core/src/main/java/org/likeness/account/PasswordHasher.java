package org.likeness.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.likeness.registry.InvalidInputException;

/**
 * Argon2id password hashes in the PHC string format ({@code $argon2id$v=19$m=19456,t=2,p=1$SALT$HASH}), with
 * BouncyCastle's generator. Parameters: the first of OWASP's Password Storage Cheat Sheet's equivalent Argon2id
 * configurations (m = 19 MiB, t = 2, p = 1); a median of 164 ms per hash on the 2-core build machine under load average 17
 * (AccountsTest prints it; docs/SECURITY.md).
 * Hashes made with other parameters still verify (they are read from the string).
 */
public final class PasswordHasher {
    /** OWASP Password Storage Cheat Sheet, Argon2id: m=19456 (19 MiB), t=2, p=1. */
    static final int MEMORY_KIB = 19_456;
    static final int ITERATIONS = 2;
    static final int PARALLELISM = 1;
    /** 128-bit salt, 256-bit hash (RFC 9106 section 4 recommends a 128-bit salt and a 256-bit tag). */
    static final int SALT_BYTES = 16;
    static final int HASH_BYTES = 32;
    /** NIST SP 800-63B 5.1.1.2: at least 8 characters for a memorised secret chosen by the user. */
    public static final int MIN_PASSWORD = 8;
    /** Long enough for any passphrase; bounds the work a hostile sign-in can ask for. */
    public static final int MAX_PASSWORD = 1024;
    /** Verified against when an unknown name signs in, so that its answer takes as long as a known name's. */
    private static final String DUMMY = new PasswordHasher().hash("dummy password for timing".toCharArray());

    public String hash(char[] password) {
        checkLength(password);
        byte[] salt = Secrets.random(SALT_BYTES);
        byte[] out = derive(password, salt, MEMORY_KIB, ITERATIONS, PARALLELISM, HASH_BYTES);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return "$argon2id$v=19$m=" + MEMORY_KIB + ",t=" + ITERATIONS + ",p=" + PARALLELISM + "$" + b64.encodeToString(salt)
                + "$" + b64.encodeToString(out);
    }

    /** Whether the password matches the PHC string; a string that is not an Argon2id hash never matches. */
    public boolean verify(char[] password, String phc) {
        if (password == null || password.length > MAX_PASSWORD) {
            return false;
        }
        if (phc == null) {
            verify(password, DUMMY); // the same work, then no
            return false;
        }
        String[] parts = phc.split("\\$");
        // "", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash
        if (parts.length != 6 || !parts[1].equals("argon2id") || !parts[2].equals("v=19")) {
            return false;
        }
        int m;
        int t;
        int p;
        try {
            String[] params = parts[3].split(",");
            m = Integer.parseInt(params[0].substring(2));
            t = Integer.parseInt(params[1].substring(2));
            p = Integer.parseInt(params[2].substring(2));
        } catch (RuntimeException e) {
            return false;
        }
        byte[] salt = Base64.getDecoder().decode(parts[4]);
        byte[] expected = Base64.getDecoder().decode(parts[5]);
        byte[] actual = derive(password, salt, m, t, p, expected.length);
        boolean same = MessageDigest.isEqual(expected, actual);
        Arrays.fill(actual, (byte) 0);
        return same;
    }

    /** For unknown account names: costs what a real verification costs, and fails. */
    public void burn(char[] password) {
        verify(password, DUMMY);
    }

    public static void checkLength(char[] password) {
        if (password == null || password.length < MIN_PASSWORD) {
            throw new InvalidInputException("password must have at least " + MIN_PASSWORD + " characters");
        }
        if (password.length > MAX_PASSWORD) {
            throw new InvalidInputException("password must have at most " + MAX_PASSWORD + " characters");
        }
    }

    private static byte[] derive(char[] password, byte[] salt, int m, int t, int p, int length) {
        Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(m).withIterations(t).withParallelism(p).withSalt(salt).build();
        Argon2BytesGenerator gen = new Argon2BytesGenerator();
        gen.init(params);
        byte[] pw = new String(password).getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[length];
        gen.generateBytes(pw, out);
        Arrays.fill(pw, (byte) 0);
        return out;
    }
}
