package org.likeness.trace;

/**
 * What a trace found for one suspect photo.
 *
 * @param path            path inside the suspect dataset
 * @param method          how the original was found: {@value #PDQ}, {@value #PDQ_ALIGNED}, {@value #FACE_ALIGNED}; null when none was
 * @param collection      the registered collection it is a copy of (PDQ match, or a face match confirmed as the same photo
 *                        by aligning it with the original), or null
 * @param matchedPath     the registered original, or null
 * @param pdqDistance     PDQ distance to the original, or null when matched by face or not at all
 * @param identityMatch   the best face match when PDQ found nothing (possibly a different photo of the same person), or null
 * @param recipient       the recipient whose fingerprint it carries beyond the false-accusation threshold, or null
 * @param recipientZ      the detection statistic of the named recipient, else of the best candidate (null when not tested)
 * @param recipientPValue bound on the chance of that statistic without that recipient's mark (null when not tested)
 * @param note            one line: why nobody was named, or why the photo could not be read; null when nothing to say
 * @param pdqVariant      the PDQ dihedral variant that matched (e.g. {@code ROTATE_90}, {@code FLIP_X}) when the copy was
 *                        rotated or mirrored, or null
 * @param scores          every candidate recipient's statistic on this photo (empty when not tested), for the dataset-level
 *                        evidence ({@link org.likeness.fingerprint.DatasetEvidence})
 */
public record TracedImage(String path, String method, String collection, String matchedPath, Integer pdqDistance, IdentityMatch identityMatch,
                          String recipient, Double recipientZ, Double recipientPValue, String note, String pdqVariant,
                          java.util.List<org.likeness.fingerprint.Detection.Score> scores) {
    public TracedImage {
        scores = scores == null ? java.util.List.of() : java.util.List.copyOf(scores);
    }

    public TracedImage(String path, String method, String collection, String matchedPath, Integer pdqDistance, IdentityMatch identityMatch,
                       String recipient, Double recipientZ, Double recipientPValue, String note) {
        this(path, method, collection, matchedPath, pdqDistance, identityMatch, recipient, recipientZ, recipientPValue, note, null, null);
    }

    /** PDQ within the match radius. */
    public static final String PDQ = "pdq";
    /** PDQ within the wide candidate radius, confirmed by aligning the suspect with the original. */
    public static final String PDQ_ALIGNED = "pdq+alignment";
    /** A face match, confirmed by alignment. */
    public static final String FACE_ALIGNED = "face+alignment";

    /**
     * @param samePhoto whether the suspect aligned with that original (a crop or edit of the same photo), not just the same person
     */
    public record IdentityMatch(String collection, String path, double similarity, boolean samePhoto) {
    }

    public boolean failed() {
        return note != null && note.startsWith("unreadable");
    }
}
