package org.likeness.cli.registry;

import java.io.IOException;
import java.util.Map;
import org.likeness.cli.ActorOption;
import org.likeness.cli.DbOption;
import org.likeness.cli.JsonOption;
import org.likeness.registry.MasterKey;
import org.likeness.registry.Registry;
import org.likeness.registry.RegistryLocation;
import picocli.CommandLine.Mixin;

/** Options shared by every registry command. Credentials never come from here: only from the environment. */
public final class RegistryOptions {
    @Mixin
    DbOption db;

    @Mixin
    JsonOption json;

    @Mixin
    ActorOption actor;

    boolean json() {
        return json.json();
    }

    RegistryLocation location(Map<String, String> env) {
        return db.location(env);
    }

    String actor() {
        return actor.actor();
    }

    /** The master key: LIKENESS_MASTER_KEY, else the key file made by {@code registry init}. */
    MasterKey masterKey(RegistryLocation location, Map<String, String> env) throws IOException {
        return MasterKey.resolve(location.defaultKeyFile(), env);
    }

    Registry open(RegistryLocation location, MasterKey key) {
        return Registry.open(location, key, actor());
    }
}
