package org.likeness.audit;

import org.likeness.face.Box;

/**
 * One face of an audited dataset and what was decided about it.
 *
 * @param path       image path inside the dataset
 * @param box        where the face is
 * @param subject    the registered subject it was identified as, or null (unknown: not consented)
 * @param status     the subject's consent for the purpose at the time, or unknown
 * @param similarity similarity to the best-matching enrolled template (0 when the registry is empty)
 * @param identity   the identity cluster it belongs to
 * @param decidedBy  id of the consent record that decided the status, or null
 * @param reason     why the face is {@link AuditStatus#NOT_ASSESSABLE} (too small, blurred, turned away, doubtful), else null
 */
public record Finding(String path, Box box, String subject, AuditStatus status, double similarity, int identity, Long decidedBy,
                      String reason) {
    public Finding {
        java.util.Objects.requireNonNull(status, "status");
    }

    public Finding(String path, Box box, String subject, AuditStatus status, double similarity, int identity, Long decidedBy) {
        this(path, box, subject, status, similarity, identity, decidedBy, null);
    }

    public boolean consented() {
        return status == AuditStatus.CONSENTED;
    }
}
