package org.likeness.cli.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.likeness.registry.EnrolFace;
import org.likeness.registry.FaceSource;

/**
 * A FaceSource for registry tests: a "photo" is a text file with one integer seed per line, and
 * each line is a face whose embedding is a deterministic random unit 512-d vector. The registry
 * never sees images, so vectors made this way test it exactly as the real pipeline's would.
 */
final class LinesFaceSource implements FaceSource {
    static final String MODEL = "test-lines@1";

    @Override
    public List<EnrolFace> faces(Path photo) throws IOException {
        byte[] bytes = Files.readAllBytes(photo);
        String sha;
        try {
            sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        List<EnrolFace> faces = new ArrayList<>();
        for (String line : Files.readAllLines(photo)) {
            if (!line.isBlank()) {
                faces.add(new EnrolFace(unit(Long.parseLong(line.trim())), 0.9, sha));
            }
        }
        return faces;
    }

    @Override
    public String modelId() {
        return MODEL;
    }

    static float[] unit(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[512];
        double sum = 0;
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextDouble() - 0.5);
            sum += v[i] * v[i];
        }
        for (int i = 0; i < v.length; i++) {
            v[i] /= (float) Math.sqrt(sum);
        }
        return v;
    }
}
