package org.likeness.cli;

import org.likeness.app.RegistrySession;
import org.likeness.registry.Registry;

import java.io.IOException;
import java.util.Map;

/**
 * Opening the registry by its old name ({@code hashlist}, the lab's {@code bench trace}): {@link RegistrySession} from
 * --db or $LIKENESS_HOME and the environment.
 */
public final class RegistryAccess implements AutoCloseable {
    private final org.likeness.app.RegistryAccess access;
    /** The open registry (also {@link #registry()}). */
    final Registry registry;

    private RegistryAccess(org.likeness.app.RegistryAccess access) {
        this.access = access;
        this.registry = access.registry;
    }

    /** The open registry. */
    public Registry registry() {
        return access.registry;
    }

    /** For management only (no identification). */
    public static RegistryAccess open(String db, Map<String, String> env, String actor) throws IOException {
        return new RegistryAccess(new RegistrySession(db, env).open(actor));
    }

    /** With fail-closed identification for the embedder (see {@link RegistrySession#identifying}). */
    public static RegistryAccess identifying(String db, Map<String, String> env, String actor, String embedder) throws IOException {
        return new RegistryAccess(new RegistrySession(db, env).identifying(actor, embedder));
    }

    @Override
    public void close() {
        access.close();
    }
}
