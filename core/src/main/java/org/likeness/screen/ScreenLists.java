package org.likeness.screen;

import org.likeness.hash.HashIndex;
import org.likeness.hash.HashIndexBuilder;
import org.likeness.hash.PdqHash;
import org.likeness.hashlist.FaceSketch;
import org.likeness.hashlist.HashList;
import org.likeness.hashlist.ListCollection;
import org.likeness.hashlist.ListEntry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The held lists, ready to match: per list a PDQ index (exact within {@link HashIndex#MATCH_THRESHOLD}) and the face
 * sketches. An expired list is not used (its holder may since have removed erased people from it); a list whose sketches
 * come from another embedder than the listing's faces is used for PDQ only.
 */
public final class ScreenLists {
    /** One held list as the screen uses it. */
    public static final class Held {
        final HashList list;
        final boolean used;
        final boolean facesUsed;
        final String note;
        private final String[] collectionOfHash;
        private final HashIndex index;
        private final FaceSketch sketcher;
        private final long[] sketches;
        private final String[] collectionOfSketch;

        Held(HashList list, Instant now, String embedder) {
            this.list = list;
            this.used = now.isBefore(list.expiresAt());
            boolean faces = used && list.withFaces() && embedder != null && embedder.equals(list.embedder());
            this.facesUsed = faces;
            this.note = !used ? "expired at " + list.expiresAt() + ": not used (import a current version)"
                    : list.withFaces() && !faces ? "face sketches from embedder " + list.embedder() + ", the listing's faces from "
                    + embedder + ": PDQ only" : null;
            HashIndexBuilder b = HashIndex.builder();
            List<String> hashed = new ArrayList<>();
            List<String> sketched = new ArrayList<>();
            List<long[]> sk = new ArrayList<>();
            int dims = 0;
            for (ListEntry e : used ? list.added() : List.<ListEntry>of()) {
                if (e.pdq() != null) {
                    b.add(PdqHash.parse(e.pdq()));
                    hashed.add(e.collection());
                }
                if (faces) {
                    for (String f : e.faces()) {
                        sk.add(FaceSketch.parseHex(f));
                        sketched.add(e.collection());
                    }
                }
            }
            this.collectionOfHash = hashed.toArray(String[]::new);
            this.index = b.build();
            this.collectionOfSketch = sketched.toArray(String[]::new);
            this.sketches = new long[sk.size() * 4];
            for (int i = 0; i < sk.size(); i++) {
                System.arraycopy(sk.get(i), 0, sketches, i * 4, 4);
            }
            this.sketcher = faces ? new FaceSketch(list.sketchKeyBytes(), Screener.EMBEDDING_DIMS) : null;
        }

        public HashList list() {
            return list;
        }

        public boolean used() {
            return used;
        }

        public String note() {
            return note;
        }

        public ListCollection collection(String name) {
            return list.collections().stream().filter(c -> c.name().equals(name)).findFirst().orElse(new ListCollection(name, null, null));
        }

        /** The nearest listed PDQ hash within the match threshold. */
        Optional<Match> pdq(PdqHash h) {
            int best = -1, bestD = Integer.MAX_VALUE;
            for (int id : index.search(h)) {
                int d = index.get(id).distance(h);
                if (d < bestD) {
                    best = id;
                    bestD = d;
                }
            }
            return best < 0 ? Optional.empty() : Optional.of(new Match(this, collectionOfHash[best], Match.PDQ, bestD));
        }

        /** The nearest listed face sketch within {@link FaceSketch#MATCH_DISTANCE}. */
        Optional<Match> face(float[] vector) {
            if (sketcher == null || vector.length != sketcher.dims()) {
                return Optional.empty();
            }
            long[] q = sketcher.sketch(vector);
            int best = -1, bestD = Integer.MAX_VALUE;
            for (int i = 0, n = collectionOfSketch.length; i < n; i++) {
                int b = i * 4;
                int d = Long.bitCount(sketches[b] ^ q[0]) + Long.bitCount(sketches[b + 1] ^ q[1])
                        + Long.bitCount(sketches[b + 2] ^ q[2]) + Long.bitCount(sketches[b + 3] ^ q[3]);
                if (d < bestD) {
                    best = i;
                    bestD = d;
                }
            }
            return best >= 0 && bestD <= FaceSketch.MATCH_DISTANCE
                    ? Optional.of(new Match(this, collectionOfSketch[best], Match.FACE, bestD)) : Optional.empty();
        }

        int hashes() {
            return collectionOfHash.length;
        }

        int faceSketches() {
            return collectionOfSketch.length;
        }
    }

    /** A listing image's match: list, collection, method, distance (PDQ bits of 256, or sketch bits of 256). */
    public record Match(Held held, String collection, String method, int distance) {
        public static final String PDQ = "pdq", FACE = "face";
    }

    private final List<Held> held;

    public ScreenLists(List<HashList> lists, Instant now, String embedder) {
        this.held = lists.stream().map(l -> new Held(l, now, embedder)).toList();
    }

    public List<Held> held() {
        return held;
    }

    public boolean anyUsed() {
        return held.stream().anyMatch(h -> h.used);
    }

    Optional<Match> pdq(PdqHash h) {
        Match best = null;
        for (Held l : held) {
            Optional<Match> m = l.pdq(h);
            if (m.isPresent() && (best == null || m.get().distance() < best.distance())) {
                best = m.get();
            }
        }
        return Optional.ofNullable(best);
    }

    Optional<Match> face(float[] v) {
        Match best = null;
        for (Held l : held) {
            Optional<Match> m = l.face(v);
            if (m.isPresent() && (best == null || m.get().distance() < best.distance())) {
                best = m.get();
            }
        }
        return Optional.ofNullable(best);
    }
}
