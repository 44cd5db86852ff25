package org.likeness.registry;

import java.time.Instant;

/**
 * What {@code subject erase} destroyed: the subject's data key (its key-store slot overwritten), this many enrolment
 * templates and collection templates; what was done to the database files ({@code storage}: compaction or VACUUM, or
 * why it was deferred); and how many audit scan caches were destroyed.
 */
public record Erasure(String subjectId, int templatesDestroyed, Instant erasedAt, int collectionTemplatesDestroyed,
                      String storage, int auditCachesDestroyed) {
}
