package org.likeness.screen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.likeness.json.Json;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The marketplace's thresholds per signal (a JSON file of these keys, any left out keep the default; docs/HASHLISTS.md,
 * "Policy"). The defaults are choices, not measurements: a listing matching a holder's list is reviewed from the first
 * image and blocked from {@link #DEFAULT_BLOCK_MATCHED}; a face dataset is reviewed even without a match; what could not be
 * inspected (unreadable images, no current list) is reviewed, never allowed (fail closed).
 *
 * @param minImages          a listing with fewer readable images is never called a face dataset
 * @param minFaceShare       share of images with a face from which a listing is a face dataset
 * @param minIdentities      distinct identities from which a listing is a face dataset
 * @param reviewMatched      matched images from which the decision is at least review
 * @param blockMatched       matched images from which the decision is block
 * @param reviewFaceDataset  whether a face dataset without matches is reviewed
 * @param reviewUninspected  whether unreadable images or the lack of any current list force review
 */
public record ScreenPolicy(int minImages, double minFaceShare, int minIdentities, int reviewMatched, int blockMatched,
                           boolean reviewFaceDataset, boolean reviewUninspected) {
    static final int DEFAULT_MIN_IMAGES = 10;
    static final double DEFAULT_MIN_FACE_SHARE = 0.5;
    static final int DEFAULT_MIN_IDENTITIES = 5;
    static final int DEFAULT_REVIEW_MATCHED = 1;
    static final int DEFAULT_BLOCK_MATCHED = 3;

    public static final ScreenPolicy DEFAULT = new ScreenPolicy(DEFAULT_MIN_IMAGES, DEFAULT_MIN_FACE_SHARE, DEFAULT_MIN_IDENTITIES,
            DEFAULT_REVIEW_MATCHED, DEFAULT_BLOCK_MATCHED, true, true);

    private static final Set<String> KEYS = Set.of("min_images", "min_face_share", "min_identities", "review_matched_images",
            "block_matched_images", "review_face_dataset", "review_uninspected");

    public ScreenPolicy {
        if (minImages < 1 || !(minFaceShare >= 0 && minFaceShare <= 1) || minIdentities < 1 || reviewMatched < 1
                || blockMatched < reviewMatched) {
            throw new IllegalArgumentException("policy: need min_images ≥ 1, 0 ≤ min_face_share ≤ 1, min_identities ≥ 1,"
                    + " review_matched_images ≥ 1 and block_matched_images ≥ review_matched_images");
        }
    }

    /** Reads a policy file; unknown keys and wrong types are refused (a misspelt threshold must not fall back silently). */
    public static ScreenPolicy read(Path file) throws IOException {
        JsonNode o;
        try {
            o = Json.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + ": not a JSON policy (" + e.getMessage().split("\n")[0] + ")", e);
        }
        if (o == null || !o.isObject()) {
            throw new IOException(file + ": a policy is a JSON object");
        }
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KEYS.contains(k)) {
                throw new IOException(file + ": unknown policy key '" + k + "' (known: " + new java.util.TreeSet<>(KEYS) + ")");
            }
        }
        try {
            return new ScreenPolicy(integer(o, "min_images", DEFAULT.minImages), number(o, "min_face_share", DEFAULT.minFaceShare),
                    integer(o, "min_identities", DEFAULT.minIdentities), integer(o, "review_matched_images", DEFAULT.reviewMatched),
                    integer(o, "block_matched_images", DEFAULT.blockMatched), bool(o, "review_face_dataset", DEFAULT.reviewFaceDataset),
                    bool(o, "review_uninspected", DEFAULT.reviewUninspected));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    private static int integer(JsonNode o, String k, int def) {
        JsonNode v = o.get(k);
        if (v == null) {
            return def;
        }
        if (!v.isIntegralNumber()) {
            throw new IllegalArgumentException("'" + k + "' is not a whole number");
        }
        return v.asInt();
    }

    private static double number(JsonNode o, String k, double def) {
        JsonNode v = o.get(k);
        if (v == null) {
            return def;
        }
        if (!v.isNumber()) {
            throw new IllegalArgumentException("'" + k + "' is not a number");
        }
        return v.asDouble();
    }

    private static boolean bool(JsonNode o, String k, boolean def) {
        JsonNode v = o.get(k);
        if (v == null) {
            return def;
        }
        if (!v.isBoolean()) {
            throw new IllegalArgumentException("'" + k + "' is not true or false");
        }
        return v.asBoolean();
    }

    public ObjectNode json() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        for (Map.Entry<String, Object> e : Map.<String, Object>of("min_images", minImages, "min_face_share", minFaceShare,
                "min_identities", minIdentities, "review_matched_images", reviewMatched, "block_matched_images", blockMatched,
                "review_face_dataset", reviewFaceDataset, "review_uninspected", reviewUninspected).entrySet()) {
            o.set(e.getKey(), Json.MAPPER.valueToTree(e.getValue()));
        }
        return o;
    }
}
