package org.likeness.scan;

/**
 * The first line of a scan file: which models made its vectors, so that vectors of different models are never compared.
 *
 * @param version   scan format version ({@link #VERSION})
 * @param dataset   what was scanned, as given by the user
 * @param detector  detector model id
 * @param landmarks landmark model id
 * @param embedder  embedder id (model + augmentation)
 * @param created   ISO-8601 instant the scan started
 */
public record ScanHeader(int version, String dataset, String detector, String landmarks, String embedder, String created) {
    public static final String FORMAT = "likeness-scan";
    public static final int VERSION = 1;

    /** True when vectors of the two scans can be compared. */
    public boolean sameModels(ScanHeader o) {
        return detector.equals(o.detector) && landmarks.equals(o.landmarks) && embedder.equals(o.embedder);
    }
}
