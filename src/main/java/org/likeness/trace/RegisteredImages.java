package org.likeness.trace;

import org.likeness.hash.HashIndex;
import org.likeness.hash.HashIndexBuilder;
import org.likeness.hash.PdqHash;
import org.likeness.registry.CollectionFace;
import org.likeness.registry.CollectionImage;
import org.likeness.registry.CollectionInfo;
import org.likeness.registry.Registry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Every image of every registered collection, searchable by PDQ (multi-index hash index, exact within the radius) and,
 * once loaded, by face (the collections' templates, decrypted in memory only for the trace).
 */
public final class RegisteredImages {
    /** A registered image: which collection, where in it, its content hash (the fingerprints' image id). */
    public record Ref(String collection, String path, String sha256) {
    }

    public record PdqMatch(Ref ref, int distance) {
    }

    public record FaceMatch(Ref ref, double similarity) {
    }

    private final Registry registry;
    private final List<CollectionInfo> collections;
    private final List<Ref> refs = new ArrayList<>();
    private final int[] refOfHash;
    private final HashIndex index;
    private float[] templates;
    private int[] refOfFace;
    private int dims;

    private RegisteredImages(Registry registry, List<CollectionInfo> collections, List<Integer> hashed, HashIndex index) {
        this.registry = registry;
        this.collections = collections;
        this.refOfHash = hashed.stream().mapToInt(Integer::intValue).toArray();
        this.index = index;
    }

    public static RegisteredImages load(Registry registry) {
        List<CollectionInfo> collections = registry.collections();
        List<Ref> refs = new ArrayList<>();
        List<Integer> hashed = new ArrayList<>();
        HashIndexBuilder builder = HashIndex.builder();
        for (CollectionInfo c : collections) {
            for (CollectionImage i : registry.collectionImages(c.name(), false)) {
                if (i.pdq() != null) {
                    builder.add(PdqHash.parse(i.pdq()));
                    hashed.add(refs.size());
                }
                refs.add(new Ref(c.name(), i.path(), i.sha256()));
            }
        }
        RegisteredImages r = new RegisteredImages(registry, collections, hashed, builder.build());
        r.refs.addAll(refs);
        return r;
    }

    public int size() {
        return refs.size();
    }

    public List<CollectionInfo> collections() {
        return collections;
    }

    /** The registered image nearest in PDQ distance within {@link HashIndex#MATCH_THRESHOLD}, ties to the first registered. */
    public Optional<PdqMatch> bestPdq(PdqHash hash) {
        int best = -1;
        int bestD = Integer.MAX_VALUE;
        for (int id : index.search(hash)) {
            int d = index.get(id).distance(hash);
            if (d < bestD || (d == bestD && id < best)) {
                best = id;
                bestD = d;
            }
        }
        return best < 0 ? Optional.empty() : Optional.of(new PdqMatch(refs.get(refOfHash[best]), bestD));
    }

    /** Decrypts every collection's face templates (once); needed only for photos PDQ cannot match. */
    public synchronized void loadFaces() {
        if (templates != null) {
            return;
        }
        List<float[]> ts = new ArrayList<>();
        List<Integer> owners = new ArrayList<>();
        int refIndex = 0;
        for (CollectionInfo c : collections) {
            for (CollectionImage i : registry.collectionImages(c.name(), true)) {
                for (CollectionFace f : i.faces()) {
                    if (f.template() != null) {
                        ts.add(f.template());
                        owners.add(refIndex);
                    }
                }
                refIndex++;
            }
        }
        dims = ts.isEmpty() ? 0 : ts.get(0).length;
        float[] flat = new float[ts.size() * dims];
        for (int k = 0; k < ts.size(); k++) {
            float[] t = ts.get(k);
            double n = 0;
            for (float v : t) {
                n += v * v;
            }
            float inv = (float) (1 / Math.sqrt(Math.max(n, 1e-12)));
            for (int d = 0; d < dims; d++) {
                flat[k * dims + d] = t[d] * inv;
            }
            Arrays.fill(t, 0f);
        }
        refOfFace = owners.stream().mapToInt(Integer::intValue).toArray();
        templates = flat;
    }

    /** Registered images holding a face at least {@code threshold} similar to {@code unit} (unit length), best first, at most k. */
    public List<FaceMatch> faces(float[] unit, double threshold, int k) {
        loadFaces();
        List<FaceMatch> out = new ArrayList<>();
        if (dims == 0 || unit.length != dims) {
            return out;
        }
        for (int f = 0; f < refOfFace.length; f++) {
            double s = 0;
            int o = f * dims;
            for (int d = 0; d < dims; d++) {
                s += unit[d] * templates[o + d];
            }
            if (s >= threshold) {
                out.add(new FaceMatch(refs.get(refOfFace[f]), s));
            }
        }
        out.sort(Comparator.comparingDouble(FaceMatch::similarity).reversed());
        List<FaceMatch> distinct = new ArrayList<>();
        for (FaceMatch m : out) {
            if (distinct.stream().noneMatch(x -> x.ref().equals(m.ref()))) {
                distinct.add(m);
            }
            if (distinct.size() == k) {
                break;
            }
        }
        return distinct;
    }

    /** Forgets the decrypted templates. */
    public synchronized void clearFaces() {
        if (templates != null) {
            Arrays.fill(templates, 0f);
            templates = null;
        }
    }
}
