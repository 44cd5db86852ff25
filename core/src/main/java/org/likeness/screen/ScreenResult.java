package org.likeness.screen;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.likeness.hashlist.ListCollection;
import org.likeness.json.Json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A listing's screen: the face-dataset description with its verdict, the matches per list and collection, one line per
 * image, and the policy's decision with its reasons.
 */
public record ScreenResult(String listing, String decision, List<String> reasons, FaceDataset faceDataset,
                           List<CollectionMatch> matches, List<ListingImage> images, List<ScreenLists.Held> lists,
                           ScreenPolicy policy, double seconds) {
    public static final String ALLOW = "allow", REVIEW = "review", BLOCK = "block";
    public static final String FACE_DATASET = "face dataset", NOT_FACE_DATASET = "not a face dataset";
    /**
     * A collection's match is of high confidence with any PDQ match, or at least this many face matches. A choice, not a
     * measurement: at the sketches' modelled false-match rate (about 1e-8 per comparison, FaceSketch.MATCH_DISTANCE) one
     * chance face match in a listing is conceivable against a large list, three for one collection are not.
     */
    static final int HIGH_CONFIDENCE_FACES = 3;

    /**
     * @param identities estimated distinct identities (clusters of faces at the calibrated threshold), -1 when the
     *                   embedder is not calibrated
     */
    public record FaceDataset(int images, int failed, int withFaces, int faces, int identities, int duplicateGroups,
                              int duplicateImages, String verdict, String basis) {
    }

    /** Images of a listing matching one collection of one list. */
    public record CollectionMatch(String list, String holderKey, long version, ListCollection collection, int images, int byPdq,
                                  int byFace, String confidence) {
    }

    static ScreenResult of(String listing, List<ListingImage> images, int identities, List<List<Integer>> duplicates,
                           ScreenLists lists, ScreenPolicy policy, double seconds) {
        int ok = 0, failed = 0, withFaces = 0, faces = 0;
        for (ListingImage i : images) {
            if (i.error() != null) {
                failed++;
                continue;
            }
            ok++;
            faces += i.faces();
            withFaces += i.faces() > 0 ? 1 : 0;
        }
        double share = ok == 0 ? 0 : (double) withFaces / ok;
        boolean faceSet = ok >= policy.minImages() && share >= policy.minFaceShare()
                && (identities < 0 || identities >= policy.minIdentities());
        String basis = String.format(Locale.ROOT, "%d of %d readable images with a face (%.0f %%, policy ≥ %.0f %%), %.2f faces per image,"
                        + " %s distinct identities (policy ≥ %d), %d images readable (policy ≥ %d)", withFaces, ok, 100 * share,
                100 * policy.minFaceShare(), ok == 0 ? 0.0 : (double) faces / ok, identities < 0 ? "unknown" : Integer.toString(identities),
                policy.minIdentities(), ok, policy.minImages());
        FaceDataset fd = new FaceDataset(ok, failed, withFaces, faces, identities, duplicates.size(),
                duplicates.stream().mapToInt(List::size).sum(), faceSet ? FACE_DATASET : NOT_FACE_DATASET, basis);

        Map<String, int[]> counts = new LinkedHashMap<>();
        Map<String, ScreenLists.Match> first = new LinkedHashMap<>();
        int matched = 0;
        for (ListingImage i : images) {
            if (i.match() == null) {
                continue;
            }
            matched++;
            String k = i.match().held().list().holderKeyId() + "\0" + i.match().held().list().name() + "\0" + i.match().collection();
            int[] c = counts.computeIfAbsent(k, x -> new int[2]);
            c[ScreenLists.Match.PDQ.equals(i.match().method()) ? 0 : 1]++;
            first.putIfAbsent(k, i.match());
        }
        List<CollectionMatch> matches = new ArrayList<>();
        for (Map.Entry<String, int[]> e : counts.entrySet()) {
            ScreenLists.Match m = first.get(e.getKey());
            int[] c = e.getValue();
            matches.add(new CollectionMatch(m.held().list().name(), m.held().list().holderKeyId(), m.held().list().version(),
                    m.held().collection(m.collection()), c[0] + c[1], c[0], c[1],
                    c[0] > 0 || c[1] >= HIGH_CONFIDENCE_FACES ? "high" : "low"));
        }

        List<String> reasons = new ArrayList<>();
        String decision = ALLOW;
        if (matched >= policy.blockMatched()) {
            decision = BLOCK;
            reasons.add(matched + " image(s) match hash lists (policy blocks from " + policy.blockMatched() + ")");
        } else if (matched >= policy.reviewMatched()) {
            decision = REVIEW;
            reasons.add(matched + " image(s) match hash lists (policy reviews from " + policy.reviewMatched() + ")");
        }
        if (faceSet && policy.reviewFaceDataset()) {
            decision = decision.equals(ALLOW) ? REVIEW : decision;
            reasons.add("a face dataset: " + basis);
        }
        if (policy.reviewUninspected()) {
            if (failed > 0) {
                decision = decision.equals(ALLOW) ? REVIEW : decision;
                reasons.add(failed + " file(s) could not be inspected");
            }
            if (ok == 0) {
                decision = decision.equals(ALLOW) ? REVIEW : decision;
                reasons.add("no readable image: nothing was inspected");
            }
            if (!lists.anyUsed()) {
                decision = decision.equals(ALLOW) ? REVIEW : decision;
                reasons.add("no current hash list is held: matches could not be looked for");
            }
        }
        if (reasons.isEmpty()) {
            reasons.add(fd.verdict() + " (" + basis + "), no image matches " + lists.held().stream().filter(h -> h.used).count()
                    + " current hash list(s)");
        }
        return new ScreenResult(listing, decision, reasons, fd, matches, images, lists.held(), policy, seconds);
    }

    public int matchedImages() {
        return (int) images.stream().filter(i -> i.match() != null).count();
    }

    public ObjectNode json() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("listing", listing);
        o.put("decision", decision);
        ArrayNode rs = o.putArray("reasons");
        reasons.forEach(rs::add);
        ObjectNode f = o.putObject("face_dataset");
        f.put("images", faceDataset.images());
        f.put("failed", faceDataset.failed());
        f.put("with_faces", faceDataset.withFaces());
        f.put("faces", faceDataset.faces());
        f.put("face_share", round(faceDataset.images() == 0 ? 0 : (double) faceDataset.withFaces() / faceDataset.images()));
        f.put("faces_per_image", round(faceDataset.images() == 0 ? 0 : (double) faceDataset.faces() / faceDataset.images()));
        if (faceDataset.identities() < 0) {
            f.putNull("identities");
        } else {
            f.put("identities", faceDataset.identities());
        }
        f.put("near_duplicate_groups", faceDataset.duplicateGroups());
        f.put("near_duplicate_images", faceDataset.duplicateImages());
        f.put("verdict", faceDataset.verdict());
        f.put("basis", faceDataset.basis());
        ArrayNode ms = o.putArray("matches");
        for (CollectionMatch m : matches) {
            ms.addObject().put("list", m.list()).put("holder_key", m.holderKey()).put("version", m.version())
                    .put("collection", m.collection().name()).put("owner", m.collection().owner()).put("contact", m.collection().contact())
                    .put("images", m.images()).put("by_pdq", m.byPdq()).put("by_face", m.byFace())
                    .put("share", round(images.isEmpty() ? 0 : (double) m.images() / images.size())).put("confidence", m.confidence());
        }
        ArrayNode ls = o.putArray("lists");
        for (ScreenLists.Held h : lists) {
            ObjectNode l = ls.addObject().put("list", h.list().name()).put("holder_key", h.list().holderKeyId())
                    .put("version", h.list().version()).put("expires_at", h.list().expiresAt().toString())
                    .put("entries", h.list().added().size()).put("hashes", h.hashes()).put("face_sketches", h.faceSketches())
                    .put("used", h.used).put("faces_used", h.facesUsed);
            l.put("note", h.note());
        }
        ArrayNode is = o.putArray("images");
        for (ListingImage i : images) {
            ObjectNode x = is.addObject().put("path", i.path());
            ScreenLists.Match m = i.match();
            x.put("list", m == null ? null : m.held().list().name());
            x.put("collection", m == null ? null : m.collection());
            x.put("method", m == null ? null : m.method());
            if (m == null) {
                x.putNull("distance");
            } else {
                x.put("distance", m.distance());
            }
            x.put("faces", i.faces());
            x.put("error", i.error());
        }
        o.set("policy", policy.json());
        o.put("seconds", round(seconds));
        return o;
    }

    public String text() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s: %s%n", listing, decision.toUpperCase(Locale.ROOT)));
        for (String r : reasons) {
            sb.append("  because ").append(r).append('\n');
        }
        FaceDataset f = faceDataset;
        sb.append(String.format(Locale.ROOT, "face dataset: %s — %d images (%d unreadable), %d with faces, %d faces, %s identities,"
                        + " %d near-duplicate groups (%d images)%n", f.verdict(), f.images(), f.failed(), f.withFaces(), f.faces(),
                f.identities() < 0 ? "unknown" : Integer.toString(f.identities()), f.duplicateGroups(), f.duplicateImages()));
        if (matches.isEmpty()) {
            sb.append("matches: none\n");
        }
        for (CollectionMatch m : matches) {
            sb.append(String.format(Locale.ROOT, "match: list %s v%d (key %s), collection %s (%s, contact %s): %d image(s), %d by PDQ,"
                            + " %d by face, confidence %s%n", m.list(), m.version(), m.holderKey(), m.collection().name(), m.collection().owner(),
                    m.collection().contact(), m.images(), m.byPdq(), m.byFace(), m.confidence()));
        }
        for (ScreenLists.Held h : lists) {
            if (h.note() != null) {
                sb.append("list ").append(h.list().name()).append(": ").append(h.note()).append('\n');
            }
        }
        return sb.toString().stripTrailing();
    }

    private static double round(double v) {
        return Math.round(v * 10000) / 10000.0;
    }
}
