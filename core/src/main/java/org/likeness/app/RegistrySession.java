package org.likeness.app;

import java.nio.file.Path;
import java.util.Map;
import org.likeness.face.MatchThreshold;
import org.likeness.registry.MasterKey;
import org.likeness.registry.MatchPolicy;
import org.likeness.registry.Registry;
import org.likeness.registry.RegistryLocation;
import org.likeness.registry.TemplateGallery;

/**
 * Where the registry is (--db, or $LIKENESS_HOME) and where its master key comes from (the environment): the one place
 * the use cases open it. Each open is one {@link RegistryAccess}, closed by the use case that opened it.
 */
public final class RegistrySession {
    private final String db;
    private final Map<String, String> env;

    /** @param db a JDBC URL, or null for the registry under $LIKENESS_HOME; @param env where the key is looked up */
    public RegistrySession(String db, Map<String, String> env) {
        this.db = db;
        this.env = Map.copyOf(env);
    }

    public RegistryLocation location() {
        return RegistryLocation.resolve(db, env);
    }

    /** $LIKENESS_HOME (scratch scans of registry data go under it, so that an erasure reaches them). */
    public Path home() {
        return RegistryLocation.home(env);
    }

    /** The --db value, or null. */
    public String db() {
        return db;
    }

    /** For management only (no identification). */
    public RegistryAccess open(String actor) throws java.io.IOException {
        RegistryLocation loc = location();
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
     * of the registered subjects at or below {@link MatchThreshold#MAX_FALSE_IDENTIFICATION}. One open: the threshold
     * is set once the subject count is known ({@link Registry#usePolicy}).
     */
    public RegistryAccess identifying(String actor, String embedder) throws java.io.IOException {
        RegistryLocation loc = location();
        MasterKey key = MasterKey.resolve(loc.defaultKeyFile(), env);
        try {
            Registry r = Registry.open(loc, key, actor, null, TemplateGallery.Search.AUTO);
            try {
                float threshold = threshold(r, embedder);
                r.usePolicy(MatchPolicy.withProvisionalMargin(threshold));
                return new RegistryAccess(key, r, threshold);
            } catch (RuntimeException e) {
                r.close();
                throw e;
            }
        } catch (RuntimeException e) {
            key.close();
            throw e;
        }
    }

    /** The identification threshold for this registry's size: a subject scores its best template, so a stranger gets one chance per template (docs/DECISIONS.md). */
    public static float threshold(Registry r, String embedder) {
        return MatchThreshold.forIdentification(embedder, Math.max(r.subjects().size(), r.templateCount(embedder)));
    }
}
