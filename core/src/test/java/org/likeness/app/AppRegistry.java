package org.likeness.app;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.likeness.face.Box;
import org.likeness.face.Embedding;
import org.likeness.face.Face;
import org.likeness.face.FaceQuality;
import org.likeness.face.Landmarks;
import org.likeness.registry.EnrolFace;
import org.likeness.registry.MasterKey;
import org.likeness.registry.Registry;
import org.likeness.registry.RegistryLocation;

/** A real embedded registry under a test's own home, and faces made of chosen vectors (no model needed). */
final class AppRegistry {
    static final String EMBEDDER = "fr-feature-512";
    static final int DIMS = 512;

    final Map<String, String> env = new HashMap<>();
    final RegistrySession session;

    AppRegistry(Path home) throws Exception {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        env.put("LIKENESS_HOME", home.toString());
        env.put(MasterKey.ENV, Base64.getEncoder().encodeToString(key));
        try (MasterKey k = MasterKey.resolve(RegistryLocation.resolve(null, env).defaultKeyFile(), env)) {
            Registry.init(RegistryLocation.resolve(null, env), k, "test");
        }
        session = new RegistrySession(null, env);
    }

    /** A random unit vector, the same for the same seed. */
    static float[] unit(long seed) {
        Random r = new Random(seed);
        float[] v = new float[DIMS];
        double n = 0;
        for (int i = 0; i < DIMS; i++) {
            v[i] = (float) r.nextGaussian();
            n += v[i] * v[i];
        }
        for (int i = 0; i < DIMS; i++) {
            v[i] /= (float) Math.sqrt(n);
        }
        return v;
    }

    /** A sharp, frontal, well-sized face with this vector. */
    static Face face(float[] v) {
        return new Face(new Box(10, 10, 100, 100), 0.99f, new Landmarks(new float[] {40, 50, 80, 50, 60, 70, 45, 90, 75, 90}),
                new FaceQuality(0.9f, 60f, 1000f), new Embedding(EMBEDDER, v));
    }

    void enrol(String id, long seed) throws Exception {
        try (RegistryAccess a = session.open("test")) {
            a.registry.addSubject(id, id, EMBEDDER, List.of(new EnrolFace(unit(seed), 0.9, "0".repeat(64))));
        }
    }
}
