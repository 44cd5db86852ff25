package org.likeness.registry;

import java.time.Instant;

/**
 * A registered collection: a dataset an organisation holds, scanned and recorded so that consent changes and leaks can
 * be traced back to it.
 *
 * @param location  the dataset (folder or archive) as given at registration; rescan and redact read it from there
 * @param modelId   the embedder its face templates come from
 * @param scannedAt when its images were last scanned
 */
public record CollectionInfo(long id, String name, String owner, String location, String modelId, Instant createdAt,
                             Instant scannedAt, int images, int faces) {
}
