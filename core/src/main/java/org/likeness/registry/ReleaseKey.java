package org.likeness.registry;

import java.util.Arrays;

/**
 * The secret that keys a registry's release fingerprints, unwrapped. Only the registry's holder can make or read the
 * marks; the secret is stored wrapped by the master key and never logged. {@link #toString()} shows the id only.
 */
public record ReleaseKey(String id, byte[] secret) {
    public ReleaseKey {
        InputText.required("fingerprint key id", id, 64);
        secret = secret.clone();
    }

    @Override
    public byte[] secret() {
        return secret.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReleaseKey k && k.id.equals(id) && Arrays.equals(k.secret, secret);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return "ReleaseKey[" + id + "]";
    }
}
