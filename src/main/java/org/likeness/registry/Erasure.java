package org.likeness.registry;

import java.time.Instant;

/** What {@code subject erase} destroyed: the subject's data key and this many templates. */
public record Erasure(String subjectId, int templatesDestroyed, Instant erasedAt) {
}
