package org.likeness.screen;

import org.likeness.cluster.ChineseWhispers;
import org.likeness.cluster.Components;
import org.likeness.face.Face;
import org.likeness.face.FacePipeline;
import org.likeness.face.MatchThreshold;
import org.likeness.hash.HashIndex;
import org.likeness.hash.HashIndexBuilder;
import org.likeness.hash.PdqHash;
import org.likeness.hash.PdqHasher;
import org.likeness.hash.PdqResult;
import org.likeness.image.DecodeException;
import org.likeness.image.DecodedImage;
import org.likeness.image.ImageDecoder;
import org.likeness.scan.DatasetEntry;
import org.likeness.scan.DatasetReader;
import org.likeness.scan.ParallelEntries;
import org.likeness.scan.Progress;
import org.likeness.scan.ScanRecord;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Screens a listing: every photo is decoded once, hashed (PDQ; the eight dihedral hashes only when the plain one matches
 * nothing), its faces found and embedded; it is matched against the held lists (PDQ first, then each face through the
 * lists' sketches); then the listing as a whole is described (faces, identities, near-duplicates) and the policy decides.
 */
public final class Screener {
    /** Length of the default embedder's vectors (fr-feature-512), the sketches' input. */
    static final int EMBEDDING_DIMS = 512;
    /** Seed of the identity clustering's visiting order (results are deterministic for a seed). */
    static final long CLUSTER_SEED = 20261129L;

    private final ScreenLists lists;
    private final FacePipeline pipeline;
    private final ScreenPolicy policy;
    private final int threads;

    /** @param pipeline the face pipeline (null only when screening scans, whose records hold the faces) */
    public Screener(ScreenLists lists, FacePipeline pipeline, ScreenPolicy policy, int threads) {
        this.lists = lists;
        this.pipeline = pipeline;
        this.policy = policy;
        this.threads = Math.max(1, threads);
    }

    public ScreenResult screen(String label, DatasetReader listing, Progress progress) throws IOException {
        ThreadLocal<PdqHasher> hashers = ThreadLocal.withInitial(PdqHasher::new);
        long t0 = System.nanoTime();
        List<ListingImage> images = ParallelEntries.map(listing, e -> true, threads, e -> inspect(e, hashers.get()), progress, "screen");
        return conclude(label, images, pipeline.embedderId(), (System.nanoTime() - t0) / 1e9);
    }

    /** A scan of the listing (PDQ and faces as scanned; rotated or mirrored copies are not looked for without pixels). */
    public ScreenResult screenScan(String label, List<ScanRecord> records, String embedder) {
        long t0 = System.nanoTime();
        List<ListingImage> images = new ArrayList<>();
        for (ScanRecord r : records) {
            if (!r.ok()) {
                images.add(ListingImage.failed(r.path(), r.error()));
                continue;
            }
            PdqHash h = r.pdq() != null && r.pdqQuality() >= PdqResult.MIN_USEFUL_QUALITY ? PdqHash.parse(r.pdq()) : null;
            List<float[]> vs = r.faces().stream().map(f -> f.embedding().vector()).toList();
            images.add(new ListingImage(r.path(), h == null ? null : h.toHex(), vs, match(h, List.of(), vs), null));
        }
        return conclude(label, images, embedder, (System.nanoTime() - t0) / 1e9);
    }

    private ListingImage inspect(DatasetEntry e, PdqHasher hasher) {
        if (e.error() != null) {
            return ListingImage.failed(e.path(), e.error());
        }
        try (DecodedImage img = new ImageDecoder().decode(e.path(), e.bytes())) {
            PdqResult r = hasher.hash(img.bgr());
            PdqHash h = r.useful() ? r.hash() : null;
            List<float[]> vs = new ArrayList<>();
            for (Face f : pipeline.faces(img.bgr())) {
                vs.add(f.embedding().vector());
            }
            ScreenLists.Match m = match(h, List.of(), List.of());
            if (m == null && h != null) {
                // rotated or mirrored copies: the eight dihedral hashes, computed only now (docs/HASHLISTS.md)
                m = match(null, hasher.dihedral(img.bgr()), List.of());
            }
            if (m == null) {
                m = match(null, List.of(), vs);
            }
            return new ListingImage(e.path(), h == null ? null : h.toHex(), vs, m, null);
        } catch (DecodeException ex) {
            return ListingImage.failed(e.path(), ex.reason());
        } catch (RuntimeException ex) { // one bad photo is one uninspected photo, never the end of the screen
            return ListingImage.failed(e.path(), "processing failed: " + ex);
        }
    }

    /** PDQ first (the plain hash, then the dihedral ones), then the faces. */
    private ScreenLists.Match match(PdqHash h, List<PdqHash> dihedral, List<float[]> faces) {
        if (h != null) {
            Optional<ScreenLists.Match> m = lists.pdq(h);
            if (m.isPresent()) {
                return m.get();
            }
        }
        ScreenLists.Match best = null;
        for (PdqHash d : dihedral) {
            Optional<ScreenLists.Match> m = lists.pdq(d);
            if (m.isPresent() && (best == null || m.get().distance() < best.distance())) {
                best = m.get();
            }
        }
        if (best != null) {
            return best;
        }
        for (float[] v : faces) {
            Optional<ScreenLists.Match> m = lists.face(v);
            if (m.isPresent() && (best == null || m.get().distance() < best.distance())) {
                best = m.get();
            }
        }
        return best;
    }

    private ScreenResult conclude(String label, List<ListingImage> images, String embedder, double seconds) {
        List<float[]> vectors = new ArrayList<>();
        images.forEach(i -> vectors.addAll(i.vectors()));
        int identities = 0;
        if (!vectors.isEmpty()) {
            float threshold;
            try {
                threshold = MatchThreshold.atFmr(embedder, ChineseWhispers.edgeFmr(vectors.size()));
            } catch (IllegalArgumentException uncalibrated) {
                return ScreenResult.of(label, images, -1, nearDuplicates(images), lists, policy, seconds);
            }
            identities = (int) java.util.Arrays.stream(ChineseWhispers.cluster(vectors, threshold, CLUSTER_SEED)).distinct().count();
        }
        return ScreenResult.of(label, images, identities, nearDuplicates(images), lists, policy, seconds);
    }

    /** Groups of listing images within the PDQ match threshold of each other (connected components), size ≥ 2. */
    static List<List<Integer>> nearDuplicates(List<ListingImage> images) {
        HashIndexBuilder b = HashIndex.builder();
        List<Integer> of = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            if (images.get(i).pdq() != null) {
                b.add(PdqHash.parse(images.get(i).pdq()));
                of.add(i);
            }
        }
        HashIndex index = b.build();
        Components c = new Components(of.size());
        for (int k = 0; k < of.size(); k++) {
            for (int j : index.search(index.get(k))) {
                if (j != k) {
                    c.join(k, j);
                }
            }
        }
        List<List<Integer>> out = new ArrayList<>();
        for (List<Integer> g : c.groups()) {
            if (g.size() >= 2) {
                out.add(g.stream().map(of::get).toList());
            }
        }
        return out;
    }
}
