package org.likeness.audit;

/**
 * A group of faces of one person, as clustering found them.
 *
 * @param id      cluster id
 * @param faces   faces in the cluster
 * @param subject the registered subject most of its identified faces belong to, or null
 * @param status  the status of that subject's faces, or unknown
 */
public record Identity(int id, int faces, String subject, AuditStatus status) {
}
