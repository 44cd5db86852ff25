package org.likeness.scan;

import org.likeness.face.Face;

import java.util.List;

/**
 * What a scan learned about one file.
 *
 * @param path       path inside the dataset
 * @param sha256     of the file's bytes (null when it could not be read)
 * @param format     sniffed format (null when unknown)
 * @param width      decoded width, 0 on error
 * @param height     decoded height, 0 on error
 * @param faces      faces found (empty on error)
 * @param pdq        PDQ hash hex (null when not computed)
 * @param pdqQuality PDQ quality 0–100 (-1 when not computed)
 * @param error      one-line reason the file failed, or null
 */
public record ScanRecord(String path, String sha256, String format, int width, int height, List<Face> faces,
                         String pdq, int pdqQuality, String error) {
    public ScanRecord {
        if (path == null) {
            throw new IllegalArgumentException("a scan record needs a path");
        }
        faces = faces == null ? List.of() : List.copyOf(faces);
    }

    public static ScanRecord failed(String path, String sha256, String error) {
        return new ScanRecord(path, sha256, null, 0, 0, List.of(), null, -1, error);
    }

    public boolean ok() {
        return error == null;
    }
}
