package org.likeness.app;

import org.likeness.registry.MasterKey;
import org.likeness.registry.Registry;

/** An open registry and the master key it was opened with; closing it closes both. */
public final class RegistryAccess implements AutoCloseable {
    public final MasterKey key;
    public final Registry registry;
    /** The identification threshold in force (NaN when opened without identification). */
    public final float threshold;

    RegistryAccess(MasterKey key, Registry registry, float threshold) {
        this.key = key;
        this.registry = registry;
        this.threshold = threshold;
    }

    @Override
    public void close() {
        try {
            registry.close();
        } finally {
            key.close();
        }
    }
}
