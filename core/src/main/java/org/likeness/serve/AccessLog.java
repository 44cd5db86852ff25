package org.likeness.serve;

import java.io.PrintStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.likeness.json.Json;

/**
 * One JSON line per request: time, method, route template (never the concrete path, which may hold a subject id),
 * status, milliseconds and the caller's account id. Never a query value, body, header or biometric datum.
 */
final class AccessLog {
    private final PrintStream out;

    AccessLog(PrintStream out) {
        this.out = out;
    }

    void request(String method, String route, int status, float ms, String account) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", Instant.now().toString());
        m.put("method", method);
        m.put("route", route);
        m.put("status", status);
        m.put("ms", Math.round(ms * 10) / 10.0);
        m.put("account", account);
        String line;
        try {
            line = Json.MAPPER.writeValueAsString(m);
        } catch (java.io.IOException e) {
            line = "{\"error\":\"access log line not written\"}";
        }
        synchronized (out) {
            out.println(line);
        }
    }

    void event(String event, Map<String, Object> fields) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", Instant.now().toString());
        m.put("event", event);
        m.putAll(fields);
        try {
            String line = Json.MAPPER.writeValueAsString(m);
            synchronized (out) {
                out.println(line);
            }
        } catch (java.io.IOException ignored) {
            // nothing to say it with
        }
    }
}
