package org.likeness.cli;

import org.likeness.face.MatchThreshold;
import org.likeness.registry.MasterKey;
import org.likeness.registry.MatchPolicy;
import org.likeness.registry.Registry;
import org.likeness.registry.RegistryLocation;
import org.likeness.registry.TemplateGallery;

import java.io.IOException;
import java.util.Map;

/** Opening the registry from commands outside cli.registry: location from --db or $LIKENESS_HOME, key from the environment. */
public final class RegistryAccess implements AutoCloseable {
    final MasterKey key;
    final Registry registry;
    /** The identification threshold in force (NaN when opened without identification). */
    final float threshold;

    private RegistryAccess(MasterKey key, Registry registry, float threshold) {
        this.key = key;
        this.registry = registry;
        this.threshold = threshold;
    }

    /** The open registry. */
    public Registry registry() {
        return registry;
    }

    /** For management only (no identification). */
    public static RegistryAccess open(String db, Map<String, String> env, String actor) throws IOException {
        RegistryLocation loc = RegistryLocation.resolve(db, env);
        MasterKey key = MasterKey.resolve(loc.defaultKeyFile(), env);
        try {
            return new RegistryAccess(key, Registry.open(loc, key, actor), Float.NaN);
        } catch (RuntimeException e) {
            key.close();
            throw e;
        }
    }

    /**
     * With fail-closed identification for the embedder: the threshold keeps the chance that a stranger is taken for any
     * of the registered subjects at or below {@link MatchThreshold#MAX_FALSE_IDENTIFICATION}.
     */
    static RegistryAccess identifying(String db, Map<String, String> env, String actor, String embedder) throws IOException {
        RegistryLocation loc = RegistryLocation.resolve(db, env);
        MasterKey key = MasterKey.resolve(loc.defaultKeyFile(), env);
        try {
            int subjects;
            try (Registry r = Registry.open(loc, key, actor)) {
                // a subject scores its best template: one chance per template (docs/DECISIONS.md)
                subjects = Math.max(r.subjects().size(), r.templateCount(embedder));
            }
            float threshold = MatchThreshold.forIdentification(embedder, subjects);
            return new RegistryAccess(key, Registry.open(loc, key, actor, MatchPolicy.withProvisionalMargin(threshold),
                    TemplateGallery.Search.AUTO), threshold);
        } catch (RuntimeException e) {
            key.close();
            throw e;
        }
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
