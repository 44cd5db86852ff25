package org.likeness.registry;

import java.time.Instant;

/**
 * One row of the job table (docs/REGISTRY.md, "Jobs"): what was asked ({@code request}, JSON), by whom, where its
 * files are, its state and progress, and its result (JSON) or error. The job engine gives the words their meaning.
 */
public record JobRow(String id, String kind, String state, String org, String accountId, String request, String folder,
                     long done, long total, String stage, long problems, String result, String error, int attempts,
                     Instant createdAt, Instant startedAt, Instant finishedAt) {
}
