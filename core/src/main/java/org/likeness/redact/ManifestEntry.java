package org.likeness.redact;

/**
 * One line of {@code manifest.json}: what redaction did to one file of the dataset.
 *
 * @param path         path inside the dataset (and inside the copy)
 * @param action       {@code copied} (byte-identical), {@code redacted}, {@code dropped} (left out: mode drop) or
 *                     {@code withheld} (left out: unreadable, not audited, or changed since the audit)
 * @param faces        faces the audit found in it
 * @param facesChanged faces anonymised (0 unless redacted or dropped)
 * @param sha256Before of the input file (null when it could not be read)
 * @param sha256After  of the file in the copy (null when left out)
 * @param reason       why a file was withheld, else null
 */
public record ManifestEntry(String path, String action, int faces, int facesChanged, String sha256Before, String sha256After,
                            String reason) {
    public static final String COPIED = "copied";
    public static final String REDACTED = "redacted";
    public static final String DROPPED = "dropped";
    public static final String WITHHELD = "withheld";

    public boolean inCopy() {
        return COPIED.equals(action) || REDACTED.equals(action);
    }
}
