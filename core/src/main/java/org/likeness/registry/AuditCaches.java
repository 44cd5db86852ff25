package org.likeness.registry;

import org.likeness.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeSet;

/**
 * Audit scan caches ({@code scan.jsonl.gz}) hold the plain embedding of every face an audit saw. Each audit records its
 * cache in the log ({@code audit.cache}); erasing a subject destroys every recorded cache that still exists (overwritten
 * with zeros, forced to disk, deleted), since which of its faces are the subject's cannot be known without the templates
 * that were just destroyed. The next audit of that dataset scans it again.
 */
final class AuditCaches {
    private static final ObjectMapper JSON = Json.MAPPER;

    private AuditCaches() {
    }

    static int erase(Registry registry, String subjectId) {
        TreeSet<String> paths = new TreeSet<>();
        long from = 1;
        while (true) {
            var entries = registry.log(from, 1000);
            for (LogEntry e : entries) {
                if (e.action().equals("audit.cache")) {
                    try {
                        JsonNode p = JSON.readTree(e.payload());
                        paths.add(p.path("path").asText());
                    } catch (IOException ignored) {
                        // the chain check reports a damaged payload
                    }
                }
            }
            if (entries.size() < 1000) {
                break;
            }
            from = entries.get(entries.size() - 1).seq() + 1;
        }
        int destroyed = 0;
        TreeSet<String> withResume = new TreeSet<>(paths);
        for (String p : paths) { // an audit resume killed half-way leaves its scan beside the cache
            withResume.add(p + ".resume.gz");
            withResume.add(p + ".resume");
        }
        for (String p : withResume) {
            Path f = Path.of(p);
            if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try {
                org.likeness.files.ScratchFiles.overwriteAndDelete(f);
                destroyed++;
            } catch (IOException e) {
                throw new StorageException("subject '" + subjectId + "' was erased from the registry, but the audit cache " + f
                        + " could not be destroyed: " + e.getMessage() + " (delete it by hand)", e);
            }
        }
        try {
            destroyed += org.likeness.files.ScratchFiles.destroyLeftovers(registry.home());
        } catch (IOException e) {
            throw new StorageException("subject '" + subjectId + "' was erased from the registry, but the temporary scans in "
                    + org.likeness.files.ScratchFiles.dir(registry.home()) + " could not be destroyed: " + e.getMessage()
                    + " (delete them by hand)", e);
        }
        if (destroyed > 0) {
            registry.record("audit.cache_destroyed", Map.of("subject", subjectId, "caches", destroyed));
        }
        return destroyed;
    }
}
