package org.likeness.trace;

import org.likeness.face.Face;
import org.likeness.face.FacePipeline;
import org.likeness.face.MatchThreshold;
import org.likeness.fingerprint.Detection;
import org.likeness.fingerprint.FingerprintDetector;
import org.likeness.fingerprint.FingerprintKey;
import org.likeness.hash.PdqHasher;
import org.likeness.hash.PdqResult;
import org.likeness.image.DecodeException;
import org.likeness.image.DecodedImage;
import org.likeness.image.ImageDecoder;
import org.likeness.model.Sha256;
import org.likeness.registry.Release;
import org.likeness.scan.DatasetEntry;
import org.likeness.scan.DatasetReader;
import org.likeness.scan.ParallelEntries;
import org.likeness.scan.Progress;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Traces a suspect dataset in three passes with bounded memory: (1) hash every suspect photo and find its registered
 * original by PDQ, or, failing that, candidates by face; (2) read only the originals that were matched from their
 * collections; (3) align each suspect with its original and test it for the fingerprint of every recipient of that
 * collection. A face match counts as a copy of a registered photo only when the suspect aligns with it. Rotated and
 * mirrored copies are found by PDQ's eight dihedral hashes (asked only when the plain hash finds nothing) and aligned
 * by the detector's orientation search (docs/DECISIONS.md "Registration of leaked copies").
 */
public final class Tracer {
    /**
     * A face match is a candidate original only at or above the FMR 1e-6 point (docs/BENCHMARKS.md, calibration over
     * 35 M lfw-dev impostor pairs): the claim "this is a copy of our photo" is then checked by alignment.
     */
    static final double FACE_MATCH_THRESHOLD = MatchThreshold.FR_FEATURE_FMR_1E6;
    /** Face candidates tried by alignment per suspect photo (the gallery ranks the best two images). */
    static final int FACE_CANDIDATES = 2;
    /**
     * A face match is the same photo only when the suspect aligns with the original at least this well. Measured by
     * the test-scope RegistrationCheck on the first two photos of 300 lfw-dev people (2026-11-26): the hardest
     * marketplace copy (JPEG 50, 0.5×, off-centre 5 % crop) aligned at ≥ 0.980, the other photo of the same person at
     * ≤ 0.933; 0.96 sits between them. (The detector's own 0.85 only decides whether it reads a mark at all.)
     */
    static final double SAME_PHOTO_CORRELATION = 0.96;
    /**
     * Beyond PDQ's match radius, registered images this close are candidates to be confirmed by alignment, before the
     * (40× dearer) face pipeline is tried: docs/PDQ.md measured a 5 % crop at a mean distance of 48.7 and a 10 % crop at
     * 95, while unrelated photos sit near 128 (half of 256 bits). A wrong candidate costs one failed alignment.
     */
    static final int PDQ_CANDIDATE_RADIUS = 64;
    /** PDQ candidates tried per suspect photo. */
    static final int PDQ_CANDIDATES = 2;

    private final RegisteredImages registered;
    private final Map<String, List<Release>> releases;
    private final Function<String, FingerprintKey> keys;
    private final Function<String, Path> locations;
    private final FacePipeline faces;
    private final int threads;
    private final FingerprintDetector detector = new FingerprintDetector();
    private String timings = "";

    /**
     * @param releases  by collection name
     * @param keys      fingerprint key by id
     * @param locations each collection's dataset by name
     * @param faces     the face pipeline for photos PDQ cannot match, or null to skip that fallback
     */
    public Tracer(RegisteredImages registered, Map<String, List<Release>> releases, Function<String, FingerprintKey> keys,
                  Function<String, Path> locations, FacePipeline faces, int threads) {
        this.registered = registered;
        this.releases = releases;
        this.keys = keys;
        this.locations = locations;
        this.faces = faces;
        this.threads = Math.max(1, threads);
    }

    /**
     * What pass 1 found: a PDQ match within the match radius, or PDQ candidates within the wide radius, or face
     * candidates (the latter two are confirmed by alignment in pass 3).
     */
    private record Candidates(String path, RegisteredImages.PdqMatch pdq, List<RegisteredImages.PdqMatch> wide,
                              List<RegisteredImages.FaceMatch> faces, String error) {
    }

    /**
     * Traces a scan of the suspect dataset instead of its photos: PDQ matches and face identities only. The fingerprint
     * needs the photo's pixels, so no recipient is ever named from a scan; PDQ candidates beyond the match radius cannot
     * be confirmed without alignment and are left out.
     */
    public TraceResult traceScan(String label, List<org.likeness.scan.ScanRecord> records) {
        List<TracedImage> out = new ArrayList<>();
        for (org.likeness.scan.ScanRecord r : records) {
            if (!r.ok()) {
                out.add(new TracedImage(r.path(), null, null, null, null, null, null, null, null, "unreadable: " + r.error()));
                continue;
            }
            Optional<RegisteredImages.PdqMatch> m = r.pdq() != null && r.pdqQuality() >= PdqResult.MIN_USEFUL_QUALITY
                    ? registered.bestPdq(org.likeness.hash.PdqHash.parse(r.pdq())) : Optional.empty();
            if (m.isPresent()) {
                RegisteredImages.Ref ref = m.get().ref();
                out.add(new TracedImage(r.path(), TracedImage.PDQ, ref.collection(), ref.path(), m.get().distance(), null, null, null, null,
                        "traced from a scan: naming a recipient needs the photo itself"));
                continue;
            }
            RegisteredImages.FaceMatch best = null;
            for (Face f : r.faces()) {
                for (RegisteredImages.FaceMatch fm : registered.faces(f.embedding().vector(), FACE_MATCH_THRESHOLD)) {
                    if (best == null || fm.similarity() > best.similarity()) {
                        best = fm;
                    }
                }
            }
            out.add(best == null ? new TracedImage(r.path(), null, null, null, null, null, null, null, null, null)
                    : new TracedImage(r.path(), null, null, null, null, new TracedImage.IdentityMatch(best.ref().collection(),
                    best.ref().path(), best.similarity(), false), null, null, null,
                    "same person as a registered photo; from a scan, whether it is a copy of it cannot be checked"));
        }
        return TraceResult.of(label, out);
    }

    public TraceResult trace(String label, ReaderSource suspect, Progress progress) throws IOException {
        ThreadLocal<PdqHasher> hashers = ThreadLocal.withInitial(PdqHasher::new);
        long t0 = System.nanoTime();
        List<Candidates> found = ParallelEntries.map(suspect.open(), e -> true, threads, e -> find(e, hashers.get()), progress, "trace");
        long t1 = System.nanoTime();
        Map<String, byte[]> originals = readOriginals(found);
        long t2 = System.nanoTime();
        Map<String, Candidates> byPath = new HashMap<>();
        found.forEach(c -> byPath.put(c.path(), c));
        List<TracedImage> images = ParallelEntries.map(suspect.open(), e -> true, threads, e -> decide(e, byPath.get(e.path()), originals),
                Progress.none(), "trace");
        long t3 = System.nanoTime();
        timings = String.format(java.util.Locale.ROOT, "match %.1f s, read originals %.1f s, fingerprints %.1f s",
                (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9);
        return TraceResult.of(label, images);
    }

    /** Wall time of the last trace's passes, for the progress output. */
    public String timings() {
        return timings;
    }

    /** Opens the suspect dataset (it is read twice). */
    public interface ReaderSource {
        DatasetReader open() throws IOException;
    }

    private Candidates find(DatasetEntry e, PdqHasher hasher) {
        if (e.error() != null) {
            return new Candidates(e.path(), null, List.of(), List.of(), e.error());
        }
        try (DecodedImage img = new ImageDecoder().decode(e.path(), e.bytes())) {
            PdqResult h = hasher.hash(img.bgr());
            Optional<RegisteredImages.PdqMatch> m = h.useful() ? registered.bestPdq(h.hash()) : Optional.empty();
            if (m.isPresent()) {
                return new Candidates(e.path(), m.get(), List.of(), List.of(), null);
            }
            List<RegisteredImages.PdqMatch> wide = h.useful() ? registered.pdqCandidates(h.hash(), PDQ_CANDIDATE_RADIUS, PDQ_CANDIDATES) : List.of();
            if (wide.isEmpty() && h.useful()) {
                // rotated or mirrored copies: all eight dihedral hashes, asked only now, so that ordinary copies (matched
                // above) pay nothing for them
                List<org.likeness.hash.PdqHash> dihedral = hasher.dihedral(img.bgr());
                m = registered.bestPdq(dihedral);
                if (m.isPresent()) {
                    return new Candidates(e.path(), m.get(), List.of(), List.of(), null);
                }
                wide = registered.pdqCandidates(dihedral, PDQ_CANDIDATE_RADIUS, PDQ_CANDIDATES);
            }
            if (!wide.isEmpty()) {
                return new Candidates(e.path(), null, wide, List.of(), null);
            }
            return new Candidates(e.path(), null, List.of(), faceCandidates(img), null);
        } catch (DecodeException ex) {
            return new Candidates(e.path(), null, List.of(), List.of(), ex.reason());
        } catch (RuntimeException ex) { // one bad photo is one unreadable photo, never the end of the trace
            return new Candidates(e.path(), null, List.of(), List.of(), "processing failed: " + ex);
        }
    }

    /** Registered images holding the faces most like the photo's, best first. */
    private List<RegisteredImages.FaceMatch> faceCandidates(DecodedImage img) {
        List<RegisteredImages.FaceMatch> byFace = new ArrayList<>();
        if (faces == null) {
            return byFace;
        }
        for (Face f : faces.faces(img.bgr())) {
            for (RegisteredImages.FaceMatch fm : registered.faces(f.embedding().vector(), FACE_MATCH_THRESHOLD)) {
                if (byFace.stream().noneMatch(x -> x.ref().equals(fm.ref()))) {
                    byFace.add(fm);
                }
            }
        }
        byFace.sort((a, b) -> Double.compare(b.similarity(), a.similarity()));
        return byFace.size() > FACE_CANDIDATES ? new ArrayList<>(byFace.subList(0, FACE_CANDIDATES)) : byFace;
    }

    private static String key(RegisteredImages.Ref r) {
        return r.collection() + "\0" + r.path();
    }

    /**
     * Streams each archive collection that holds a matched original once, keeping only those originals' bytes (an
     * archive has no random access); folder collections are read directly when needed.
     */
    private Map<String, byte[]> readOriginals(List<Candidates> found) throws IOException {
        Map<String, Map<String, RegisteredImages.Ref>> wanted = new LinkedHashMap<>();
        for (Candidates c : found) {
            List<RegisteredImages.Ref> refs = new ArrayList<>();
            if (c.pdq() != null) {
                refs.add(c.pdq().ref());
            }
            c.wide().forEach(w -> refs.add(w.ref()));
            c.faces().forEach(f -> refs.add(f.ref()));
            refs.forEach(r -> wanted.computeIfAbsent(r.collection(), k -> new HashMap<>()).put(r.path(), r));
        }
        Map<String, byte[]> out = new HashMap<>();
        for (Map.Entry<String, Map<String, RegisteredImages.Ref>> w : wanted.entrySet()) {
            Path location = locations.apply(w.getKey());
            if (location == null || java.nio.file.Files.isDirectory(location)) {
                continue; // folders are read one original at a time in pass 3: memory stays bounded whatever the photos' size
            }
            try (DatasetReader reader = DatasetReader.open(location)) {
                while (reader.hasNext()) {
                    DatasetEntry e = reader.next();
                    RegisteredImages.Ref r = w.getValue().get(e.path());
                    if (r != null && e.bytes() != null && Sha256.of(e.bytes()).equals(r.sha256())) {
                        out.put(key(r), e.bytes());
                    }
                }
            } catch (IOException missing) {
                // the collection's dataset is gone: its matches are reported without a fingerprint test
            }
        }
        return out;
    }

    private TracedImage decide(DatasetEntry e, Candidates c, Map<String, byte[]> originals) throws IOException {
        if (c == null) {
            return new TracedImage(e.path(), null, null, null, null, null, null, null, null,
                    "appeared while the trace ran (or a duplicate name in an archive): not traced");
        }
        if (c.error() != null) {
            return new TracedImage(e.path(), null, null, null, null, null, null, null, null, "unreadable: " + c.error());
        }
        if (c.pdq() == null && c.wide().isEmpty() && c.faces().isEmpty()) {
            return new TracedImage(e.path(), null, null, null, null, null, null, null, null, null);
        }
        ImageDecoder decoder = new ImageDecoder();
        try (DecodedImage suspect = decoder.decode(e.path(), e.bytes())) {
            if (c.pdq() != null) {
                RegisteredImages.Ref r = c.pdq().ref();
                return traced(e.path(), TracedImage.PDQ, r, c.pdq().distance(), null, detect(r, suspect, originals), c.pdq().variant());
            }
            for (RegisteredImages.PdqMatch w : c.wide()) {
                Detection d = detect(w.ref(), suspect, originals);
                if (samePhoto(d)) {
                    return traced(e.path(), TracedImage.PDQ_ALIGNED, w.ref(), w.distance(), null, d, w.variant());
                }
            }
            // wide PDQ candidates that do not align (rare): fall back to faces now; their originals are read directly
            List<RegisteredImages.FaceMatch> byFace = c.wide().isEmpty() ? c.faces() : faceCandidates(suspect);
            for (RegisteredImages.FaceMatch fm : byFace) {
                Detection d = detect(fm.ref(), suspect, originals);
                if (samePhoto(d)) {
                    return traced(e.path(), TracedImage.FACE_ALIGNED, fm.ref(), null, new TracedImage.IdentityMatch(fm.ref().collection(),
                            fm.ref().path(), fm.similarity(), true), d, null);
                }
            }
            if (byFace.isEmpty()) {
                return new TracedImage(e.path(), null, null, null, null, null, null, null, null,
                        "near a registered photo by PDQ but does not align with it, and no registered face matches");
            }
            RegisteredImages.FaceMatch best = byFace.get(0);
            return new TracedImage(e.path(), null, null, null, null, new TracedImage.IdentityMatch(best.ref().collection(), best.ref().path(),
                    best.similarity(), false), null, null, null, "same person as a registered photo, but not a copy of it (or too far edited to align)");
        } catch (DecodeException ex) {
            return new TracedImage(e.path(), null, null, null, null, null, null, null, null, "unreadable: " + ex.reason());
        }
    }

    private static boolean samePhoto(Detection d) {
        return d != null && d.outcome() != Detection.Outcome.NOT_REGISTERED && d.outcome() != Detection.Outcome.UNUSABLE_ORIGINAL
                && d.correlation() >= SAME_PHOTO_CORRELATION;
    }

    /** The detection against the original for every recipient of its collection (null when it cannot be tested). */
    private Detection detect(RegisteredImages.Ref r, DecodedImage suspect, Map<String, byte[]> originals) throws DecodeException {
        List<Release> rs = releases.getOrDefault(r.collection(), List.of());
        if (rs.isEmpty()) {
            return null;
        }
        byte[] bytes = originals.get(key(r));
        if (bytes == null) {
            bytes = readDirectly(r);
        }
        if (bytes == null) {
            return null;
        }
        Map<String, List<String>> byKey = new LinkedHashMap<>();
        rs.forEach(x -> byKey.computeIfAbsent(x.keyId(), k -> new ArrayList<>()).add(x.recipient()));
        try (DecodedImage original = new ImageDecoder().decode(r.path(), bytes)) {
            Detection best = null;
            List<Detection.Score> all = new ArrayList<>();
            for (Map.Entry<String, List<String>> k : byKey.entrySet()) {
                Detection d = detector.detect(original.bgr(), suspect.bgr(), keys.apply(k.getKey()), r.sha256(), k.getValue());
                all.addAll(d.scores());
                if (best == null || d.outcome() == Detection.Outcome.NAMED) {
                    best = d;
                }
            }
            // every key's candidates, for the dataset-level sum (one release, hence one key, per recipient and collection)
            return best == null || byKey.size() == 1 ? best : new Detection(best.outcome(), best.recipient(), best.threshold(), all,
                    best.correlation(), best.overlap(), best.warp(), best.reason());
        }
    }

    /** An original from a folder collection, read when needed; null when it is gone or changed. */
    private byte[] readDirectly(RegisteredImages.Ref r) {
        Path location = locations.apply(r.collection());
        if (location == null || !java.nio.file.Files.isDirectory(location)) {
            return null;
        }
        try {
            byte[] bytes = java.nio.file.Files.readAllBytes(DatasetEntry.under(location, r.path()));
            return Sha256.of(bytes).equals(r.sha256()) ? bytes : null;
        } catch (IOException goneOrOutside) {
            return null;
        }
    }

    private static TracedImage traced(String path, String method, RegisteredImages.Ref r, Integer distance, TracedImage.IdentityMatch im,
                                      Detection d, org.likeness.hash.PdqDihedral variant) {
        String v = variant == null || variant == org.likeness.hash.PdqDihedral.ORIGINAL ? null : variant.name();
        if (d == null) {
            return new TracedImage(path, method, r.collection(), r.path(), distance, im, null, null, null,
                    "not tested for a fingerprint: the collection was never released, or its original is no longer readable", v, null);
        }
        Detection.Score s = d.recipient() != null ? d.scoreOf(d.recipient())
                : d.scores().stream().max((a, b) -> Double.compare(a.z(), b.z())).orElse(null);
        return new TracedImage(path, method, r.collection(), r.path(), distance, im, d.recipient(), s == null ? null : s.z(),
                s == null ? null : s.pValue(), d.recipient() == null ? d.reason() : null, v,
                d.outcome() == Detection.Outcome.NAMED || d.outcome() == Detection.Outcome.NO_RECIPIENT ? d.scores() : null);
    }

}
