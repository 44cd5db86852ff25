package org.likeness.jobs;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.likeness.json.Json;
import org.likeness.registry.JobRow;

/**
 * A job as the engine and the API see it.
 *
 * @param request what was asked (dataset path, purpose, recipient, ...), as strings
 * @param result  the use case's counts and verdict once it succeeded (JSON object), or null
 * @param error   why it failed or was cancelled, or null
 */
public record Job(String id, JobKind kind, JobState state, String org, String accountId, Map<String, String> request, Path folder,
                  long done, long total, String stage, long problems, JsonNode result, String error, int attempts,
                  Instant createdAt, Instant startedAt, Instant finishedAt) {

    static Job of(JobRow r) {
        try {
            Map<String, String> request = Json.MAPPER.readValue(r.request(), new TypeReference<LinkedHashMap<String, String>>() { });
            JsonNode result = r.result() == null ? null : Json.MAPPER.readTree(r.result());
            return new Job(r.id(), JobKind.parse(r.kind()), JobState.parse(r.state()), r.org(), r.accountId(), request, Path.of(r.folder()),
                    r.done(), r.total(), r.stage(), r.problems(), result, r.error(), r.attempts(), r.createdAt(), r.startedAt(), r.finishedAt());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException("job " + r.id() + ": stored request or result is not JSON", e);
        }
    }

    /** The JSON the API shows (no paths of the server's disk). */
    public Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("kind", kind.word());
        m.put("state", state.word());
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("stage", stage);
        p.put("done", done);
        p.put("total", total < 0 ? null : total);
        p.put("problems", problems);
        m.put("progress", p);
        m.put("result", result);
        m.put("error", error);
        m.put("attempts", attempts);
        m.put("created_at", String.valueOf(createdAt));
        m.put("started_at", startedAt == null ? null : startedAt.toString());
        m.put("finished_at", finishedAt == null ? null : finishedAt.toString());
        return m;
    }
}
