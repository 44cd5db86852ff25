package org.likeness.cli;

import org.likeness.json.Json;
import org.likeness.hash.HashIndex;
import org.likeness.hash.HashIndexBuilder;
import org.likeness.hash.PdqResult;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code likeness match SUSPECT --against REFERENCE}. */
@Command(name = "match", mixinStandardHelpOptions = true,
        description = "For every suspect image, the reference images within the PDQ radius (distance, quality). Images below the PDQ quality floor are reported as unmatchable.")
final class MatchCommand extends BaseCommand {
    @Parameters(index = "0", description = "Suspect dataset (folder, archive) or scan file.")
    Path suspect;
    @Option(names = "--against", required = true, description = "Reference dataset or scan file.")
    Path reference;
    @Mixin
    RadiusOption radiusOption;
    @Mixin
    JsonOption jsonOption;
    @Mixin
    JsonFileOption jsonOut;
    @Option(names = "--csv", description = "Write one row per (suspect, reference) match to this CSV file.")
    Path csv;
    @Mixin
    ThreadsOption threadsOption;

    @Override
    public Integer call() throws IOException {
        List<DatasetHashes.Item> refs = DatasetHashes.load(reference, threadsOption.threads()).stream()
                .filter(i -> i.error() == null && i.quality() >= PdqResult.MIN_USEFUL_QUALITY).toList();
        HashIndex index = referenceIndex(refs);
        List<DatasetHashes.Item> sus = DatasetHashes.load(suspect, threadsOption.threads());
        List<Map<String, Object>> rows = new ArrayList<>();
        int matched = 0, unmatchable = 0, failed = 0;
        try (PrintWriter out = csv == null ? null : new PrintWriter(Files.newBufferedWriter(csv))) {
            if (out != null) {
                out.println("suspect,reference,distance,suspect_quality,reference_quality");
            }
            for (DatasetHashes.Item s : sus) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("path", s.path());
                List<Map<String, Object>> ms = new ArrayList<>();
                if (s.error() != null) {
                    failed++;
                    row.put("status", "failed");
                    row.put("error", s.error());
                    err().println("likeness: " + s.path() + ": " + s.error());
                } else if (s.quality() < PdqResult.MIN_USEFUL_QUALITY) {
                    unmatchable++;
                    row.put("status", "unmatchable");
                    row.put("quality", s.quality());
                } else {
                    for (int id : index.search(s.hash(), radiusOption.radius)) {
                        DatasetHashes.Item r = refs.get(id);
                        int d = s.hash().distance(r.hash());
                        ms.add(Map.of("reference", r.path(), "distance", d, "quality", r.quality()));
                        if (out != null) {
                            out.println(csvField(s.path()) + "," + csvField(r.path()) + "," + d + "," + s.quality() + "," + r.quality());
                        }
                    }
                    ms.sort((x, y) -> Integer.compare((int) x.get("distance"), (int) y.get("distance")));
                    row.put("status", ms.isEmpty() ? "no_match" : "matched");
                    row.put("quality", s.quality());
                    if (!ms.isEmpty()) {
                        matched++;
                    }
                }
                row.put("matches", ms);
                rows.add(row);
            }
        }
        String summary = String.format("%d suspect images: %d matched in %d reference images (radius %d), %d unmatchable (PDQ quality < %d), %d failed",
                sus.size(), matched, refs.size(), radiusOption.radius, unmatchable, PdqResult.MIN_USEFUL_QUALITY, failed);
        if (jsonOption.json() || jsonOut.file() != null) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("summary", Map.of("images", sus.size(), "matched", matched, "unmatchable", unmatchable, "failed", failed,
                    "reference_images", refs.size(), "radius", radiusOption.radius));
            o.put("images", rows);
            com.fasterxml.jackson.databind.ObjectWriter m = Json.PRETTY;
            if (jsonOut.file() != null) {
                m.writeValue(jsonOut.file().toFile(), o);
            }
            if (jsonOption.json()) {
                out().println(m.writeValueAsString(o));
            } else {
                out().println(summary);
            }
        } else {
            for (Map<String, Object> r : rows) {
                out().println(r.get("path") + "  " + r.get("status") + "  " + r.get("matches"));
            }
            out().println(summary);
        }
        return failed > 0 ? ExitCodes.SOME_FAILED : ExitCodes.OK;
    }

    /**
     * The index over the usable reference hashes. For a reference scan file it is persisted beside it
     * ({@code SCAN.pdqidx}) and reused while it is newer than the scan and holds the same hashes in the same order.
     */
    private HashIndex referenceIndex(List<DatasetHashes.Item> refs) throws IOException {
        Path saved = DatasetHashes.isScanFile(reference) ? reference.resolveSibling(reference.getFileName() + ".pdqidx") : null;
        if (saved != null && Files.exists(saved)
                && Files.getLastModifiedTime(saved).compareTo(Files.getLastModifiedTime(reference)) > 0) {
            HashIndex loaded = HashIndex.load(saved);
            boolean same = loaded.size() == refs.size();
            for (int i = 0; same && i < refs.size(); i++) {
                same = loaded.get(i).equals(refs.get(i).hash());
            }
            if (same) {
                return loaded;
            }
        }
        HashIndexBuilder b = HashIndex.builder();
        refs.forEach(r -> b.add(r.hash()));
        HashIndex index = b.build();
        if (saved != null) {
            index.save(saved);
        }
        return index;
    }

    private static String csvField(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
