package org.likeness.registry;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Child process of {@link KillDuringCollectionAddTest}: registers collection "set" of {@code n} images, then prints
 * "done". Arguments: JDBC URL, home directory, n. Credentials and master key come from the environment.
 */
public final class CollectionAdder {
    private CollectionAdder() {
    }

    static List<CollectionImage> images(int n) {
        List<CollectionImage> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new CollectionImage(String.format("img/%05d.jpg", i), TestVectors.sha(1000 + i), null,
                    List.of(new CollectionFace(0, 1, 2, 30, 40, i % 3 == 0 ? "alice" : null, 0.5, TestVectors.unit(i)))));
        }
        return out;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        RegistryLocation base = RegistryLocation.resolve(args[0], env);
        RegistryLocation location = new RegistryLocation(base.jdbcUrl(), base.user(), base.password(), Path.of(args[1]));
        List<CollectionImage> images = images(Integer.parseInt(args[2]));
        try (MasterKey key = MasterKey.resolve(location.defaultKeyFile(), env);
             Registry r = Registry.open(location, key, "adder")) {
            System.out.println("started");
            System.out.flush();
            r.addCollection("set", "owner", "/data/set", TestVectors.MODEL, images);
        }
        System.out.println("done");
    }
}
