package org.likeness.trace;

import org.likeness.hash.HashIndex;
import org.likeness.hash.HashIndexBuilder;
import org.likeness.hash.PdqHash;
import org.likeness.registry.CollectionFace;
import org.likeness.registry.CollectionImage;
import org.likeness.registry.CollectionInfo;
import org.likeness.registry.Identification;
import org.likeness.registry.MatchPolicy;
import org.likeness.registry.Registry;
import org.likeness.registry.TemplateGallery;

import java.util.ArrayList;
import java.util.Arrays;
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

    /** @param variant the dihedral variant of the suspect's hash that matched (ORIGINAL for the plain hash) */
    public record PdqMatch(Ref ref, int distance, org.likeness.hash.PdqDihedral variant) {
        public PdqMatch(Ref ref, int distance) {
            this(ref, distance, org.likeness.hash.PdqDihedral.ORIGINAL);
        }
    }

    public record FaceMatch(Ref ref, double similarity) {
    }

    private final Registry registry;
    private final List<CollectionInfo> collections;
    private final List<Ref> refs = new ArrayList<>();
    private final int[] refOfHash;
    private final HashIndex index;
    private TemplateGallery gallery;

    private RegisteredImages(Registry registry, List<CollectionInfo> collections, List<Integer> hashed, HashIndex index) {
        this.registry = registry;
        this.collections = collections;
        this.refOfHash = hashed.stream().mapToInt(Integer::intValue).toArray();
        this.index = index;
    }

    public static RegisteredImages load(Registry registry) {
        return load(registry, null);
    }

    /** The collections of one organisation (a tenant of the HTTP service), or of all when {@code organisation} is null. */
    public static RegisteredImages load(Registry registry, String organisation) {
        List<CollectionInfo> collections = organisation == null ? registry.collections()
                : registry.collections().stream().filter(c -> organisation.equals(registry.collectionOrganisation(c.name()))).toList();
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

    /**
     * The best match of any of a suspect's eight dihedral hashes ({@link org.likeness.hash.PdqHasher#dihedral}): a copy
     * rotated by 90°, 180° or 270° or mirrored has, up to noise, the hash of that variant of the original. Eight index
     * queries instead of one; the trace asks only when the plain hash found nothing.
     */
    public Optional<PdqMatch> bestPdq(List<PdqHash> dihedral) {
        PdqMatch best = null;
        for (int v = 0; v < dihedral.size(); v++) {
            Optional<PdqMatch> m = bestPdq(dihedral.get(v));
            if (m.isPresent() && (best == null || m.get().distance() < best.distance())) {
                best = new PdqMatch(m.get().ref(), m.get().distance(), org.likeness.hash.PdqDihedral.values()[v]);
            }
        }
        return Optional.ofNullable(best);
    }

    /** {@link #pdqCandidates(PdqHash, int, int)} over the eight dihedral hashes, nearest first, one entry per image. */
    public List<PdqMatch> pdqCandidates(List<PdqHash> dihedral, int radius, int k) {
        java.util.Map<Ref, PdqMatch> best = new java.util.LinkedHashMap<>();
        for (int v = 0; v < dihedral.size(); v++) {
            for (PdqMatch m : pdqCandidates(dihedral.get(v), radius, k)) {
                PdqMatch withVariant = new PdqMatch(m.ref(), m.distance(), org.likeness.hash.PdqDihedral.values()[v]);
                best.merge(m.ref(), withVariant, (a, b) -> a.distance() <= b.distance() ? a : b);
            }
        }
        List<PdqMatch> out = new ArrayList<>(best.values());
        out.sort(java.util.Comparator.comparingInt(PdqMatch::distance));
        return out.size() > k ? new ArrayList<>(out.subList(0, k)) : out;
    }

    /** Up to {@code k} registered images within {@code radius} of the hash, nearest first (candidates, to be confirmed). */
    public List<PdqMatch> pdqCandidates(PdqHash hash, int radius, int k) {
        List<PdqMatch> out = new ArrayList<>();
        for (int id : index.search(hash, radius)) {
            out.add(new PdqMatch(refs.get(refOfHash[id]), index.get(id).distance(hash)));
        }
        out.sort(java.util.Comparator.comparingInt(PdqMatch::distance));
        return out.size() > k ? new ArrayList<>(out.subList(0, k)) : out;
    }

    /**
     * Decrypts every collection's face templates (once) into the registry's face gallery (sign-code candidates, exact
     * rescoring: docs/BENCHMARKS.md "Identification"); needed only for photos PDQ cannot match.
     */
    public synchronized void loadFaces() {
        if (gallery != null) {
            return;
        }
        List<float[]> ts = new ArrayList<>();
        List<String> owners = new ArrayList<>();
        java.util.Map<String, Integer> refOf = new java.util.HashMap<>();
        for (int k = 0; k < refs.size(); k++) {
            refOf.put(refs.get(k).collection() + "\0" + refs.get(k).path(), k);
        }
        String model = null;
        for (CollectionInfo c : collections) {
            for (CollectionImage i : registry.collectionImages(c.name(), true)) {
                // matched by name, not position: a rescan since load() may have added or removed images
                Integer ref = refOf.get(c.name() + "\0" + i.path());
                for (CollectionFace f : i.faces()) {
                    if (ref != null && f.template() != null && (model == null || model.equals(c.modelId()))) {
                        model = c.modelId();
                        ts.add(f.template());
                        owners.add(Integer.toString(ref));
                    }
                }
            }
        }
        float[][] arr = ts.toArray(float[][]::new);
        // threshold and margin are applied by the caller: the gallery only ranks
        gallery = TemplateGallery.of(model == null ? "none" : model, new MatchPolicy(0.0, 0.0), owners.toArray(String[]::new), arr,
                TemplateGallery.Search.AUTO);
        for (float[] t : arr) {
            Arrays.fill(t, 0f);
        }
    }

    /** The (at most two) registered images holding the faces most similar to {@code vector}, at or above {@code threshold}. */
    public List<FaceMatch> faces(float[] vector, double threshold) {
        loadFaces();
        List<FaceMatch> out = new ArrayList<>();
        if (gallery.size() == 0) {
            return out;
        }
        Identification id = gallery.identify(vector);
        if (id.candidate() != null && id.score() >= threshold) {
            out.add(new FaceMatch(refs.get(Integer.parseInt(id.candidate())), id.score()));
        }
        if (id.runnerUp() != null && id.runnerUpScore() >= threshold) {
            out.add(new FaceMatch(refs.get(Integer.parseInt(id.runnerUp())), id.runnerUpScore()));
        }
        return out;
    }

    /** Forgets the decrypted templates. */
    public synchronized void clearFaces() {
        if (gallery != null) {
            gallery.close();
            gallery = null;
        }
    }
}
