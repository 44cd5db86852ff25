package org.likeness.scan;

import org.likeness.json.Json;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.likeness.model.Sha256;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reuse of an earlier scan by content: a file whose bytes (sha256) were scanned before, under any name, is not scanned
 * again; a file whose bytes changed is; records of files no longer in the dataset are dropped. The models must match
 * (the caller checks the header). Holds paths and hashes only, never the records, so memory stays small.
 */
public final class ScanReuse {
    private static final Pattern SHA = Pattern.compile("\"sha256\":\"([0-9a-f]{64})\"");
    private static final Pattern ERROR = Pattern.compile("\"error\":\"");
    private static final ObjectMapper JSON = Json.MAPPER;

    /** For each earlier path, the current paths that have its bytes. */
    private final Map<String, List<String>> reuse = new HashMap<>();
    private final Map<String, String> current = new HashMap<>();
    private int renamed;
    private int oldRecords;
    private int entries;

    private ScanReuse() {
    }

    /**
     * Reads the earlier scan's paths and hashes and, at the same time on another thread, hashes every file of the
     * dataset now.
     */
    public static ScanReuse plan(Path earlier, DatasetReader now) throws IOException {
        ScanReuse r = new ScanReuse();
        Map<String, String> oldPathOfSha = new HashMap<>();
        Map<String, String> oldShaOfPath = new HashMap<>();
        java.util.concurrent.CompletableFuture<Void> old = java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                ScanFile.readLines(earlier, (path, line) -> {
                    r.oldRecords++;
                    Matcher m = SHA.matcher(line);
                    // a failed record is never reused: its cause may have been transient, so the file is tried again
                    if (m.find() && !ERROR.matcher(line).find()) {
                        oldShaOfPath.put(path, m.group(1));
                        oldPathOfSha.putIfAbsent(m.group(1), path);
                    }
                });
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Map<String, String> shaNow = new java.util.LinkedHashMap<>();
        try (now) {
            while (now.hasNext()) {
                DatasetEntry e = now.next();
                r.entries++;
                if (e.bytes() != null) {
                    shaNow.put(e.path(), Sha256.of(e.bytes()));
                }
            }
        }
        try {
            old.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof java.io.UncheckedIOException io) {
                throw io.getCause();
            }
            throw e;
        }
        shaNow.forEach((path, sha) -> {
            String from = sha.equals(oldShaOfPath.get(path)) ? path : oldPathOfSha.get(sha);
            if (from != null) {
                r.reuse.computeIfAbsent(from, k -> new ArrayList<>()).add(path);
                r.current.put(path, sha);
                if (!from.equals(path)) {
                    r.renamed++;
                }
            }
        });
        return r;
    }

    /** Whether the file at this path now is covered by an earlier record (so the scan skips it). */
    public boolean reused(String path) {
        return current.containsKey(path);
    }

    public int count() {
        return current.size();
    }

    /**
     * Whether the earlier scan already is the scan of the dataset now: every file reused under its own name, no record
     * left over. Then nothing needs to be scanned or rewritten.
     */
    public boolean upToDate() {
        return renamed == 0 && current.size() == entries && oldRecords == entries;
    }

    /** Reused records stored under another name before. */
    public int renamed() {
        return renamed;
    }

    /** Copies the reusable records of the earlier scan into the writer, under their current paths. */
    public void copy(Path earlier, ScanWriter writer) throws IOException {
        try {
            ScanFile.readLines(earlier, (path, line) -> {
                List<String> to = reuse.remove(path);
                if (to == null) {
                    return;
                }
                for (String p : to) {
                    try {
                        if (p.equals(path)) {
                            writer.writeLine(line);
                        } else {
                            ObjectNode n = (ObjectNode) JSON.readTree(line);
                            n.put("path", p);
                            writer.writeLine(JSON.writeValueAsString(n));
                        }
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            });
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
