package org.likeness.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one JSON configuration of Likeness: every file and every {@code --json} output is read and written with these
 * (Jackson's mappers are thread-safe once configured, so one instance serves the whole process). The two canonical
 * forms that are hashed — the registry log's entries and the evidence statement — keep their own, stricter,
 * configurations beside the code that hashes them.
 */
public final class Json {
    /** Reads any JSON; writes compact JSON (one line: JSON Lines, log payloads, caches). */
    public static final ObjectMapper MAPPER = JsonMapper.builder().build();

    /** Writes indented JSON for people: findings.json, manifest.json, reports, {@code --json} on stdout. */
    public static final ObjectWriter PRETTY = MAPPER.writer().with(SerializationFeature.INDENT_OUTPUT);

    private Json() {
    }
}
