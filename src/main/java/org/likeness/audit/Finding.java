package org.likeness.audit;

import org.likeness.face.Box;

/**
 * One face of an audited dataset and what was decided about it.
 *
 * @param path       image path inside the dataset
 * @param box        where the face is
 * @param subject    the registered subject it was identified as, or null (unknown: not consented)
 * @param status     consented, no_consent, revoked, expired, not_yet_valid, erased or unknown
 * @param similarity similarity to the best-matching enrolled template (0 when the registry is empty)
 * @param identity   the identity cluster it belongs to
 * @param decidedBy  id of the consent record that decided the status, or null
 * @param reason     why the face is {@link #NOT_ASSESSABLE} (too small, blurred, turned away, doubtful), else null
 */
public record Finding(String path, Box box, String subject, String status, double similarity, int identity, Long decidedBy,
                      String reason) {
    public static final String UNKNOWN = "unknown";
    public static final String CONSENTED = "consented";
    /**
     * The face failed the probe quality gate ({@link org.likeness.face.ProbeGate}): it was not identified, so it is not
     * consented (the audit fails closed), but it is not called a stranger either.
     */
    public static final String NOT_ASSESSABLE = "not_assessable";

    public Finding(String path, Box box, String subject, String status, double similarity, int identity, Long decidedBy) {
        this(path, box, subject, status, similarity, identity, decidedBy, null);
    }

    public boolean consented() {
        return CONSENTED.equals(status);
    }
}
