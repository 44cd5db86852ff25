package org.likeness.lab;

import org.likeness.cli.BaseCommand;
import org.likeness.cli.ExitCodes;
import org.likeness.cli.JsonFileOption;

import org.likeness.json.Json;
import org.likeness.hash.HashIndex;
import org.likeness.eval.HashRobustness;
import org.likeness.eval.ImageTransform;
import org.likeness.hash.PdqHash;
import org.likeness.image.DecodeException;
import org.likeness.image.DecodedImage;
import org.likeness.image.ImageDecoder;
import org.likeness.scan.DatasetEntry;
import org.likeness.scan.DatasetReader;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code likeness eval hash-robustness DATASET}. */
@Command(name = "hash-robustness", mixinStandardHelpOptions = true,
        description = "PDQ recall at the match radius under a documented suite of edits (see ImageTransform), and the false-match rate over all pairs of the dataset's photos.")
final class HashRobustnessCommand extends BaseCommand {
    @Parameters(index = "0", description = "Folder or archive of distinct photos.")
    Path dataset;
    @Option(names = "--sample", description = "Photos the edits are applied to, spread evenly over the dataset (default ${DEFAULT-VALUE}); the false-match rate uses all.")
    int sample = 500;
    @Option(names = "--radius", description = "Match radius (default ${DEFAULT-VALUE}).")
    int radius = HashIndex.MATCH_THRESHOLD;
    @Mixin
    JsonFileOption jsonOut;

    @Override
    public Integer call() throws IOException {
        List<DatasetEntry> entries = new ArrayList<>();
        List<PdqHash> hashes = new ArrayList<>();
        ImageDecoder decoder = new ImageDecoder();
        org.likeness.hash.PdqHasher hasher = new org.likeness.hash.PdqHasher();
        int failed = 0;
        try (DatasetReader reader = DatasetReader.open(dataset)) {
            while (reader.hasNext()) {
                DatasetEntry e = reader.next();
                try (DecodedImage img = e.error() == null ? decoder.decode(e.path(), e.bytes()) : null) {
                    if (img == null) {
                        failed++;
                        continue;
                    }
                    hashes.add(hasher.hash(img.bgr()).hash());
                    entries.add(e);
                } catch (DecodeException de) {
                    failed++;
                }
            }
        }
        int n = Math.min(sample, entries.size());
        HashRobustness robustness = new HashRobustness();
        Map<ImageTransform, long[]> sums = new EnumMap<>(ImageTransform.class); // hits, distance, dihedral hits, dihedral distance
        for (ImageTransform t : ImageTransform.values()) {
            sums.put(t, new long[4]);
        }
        for (int i = 0; i < n; i++) {
            DatasetEntry e = entries.get((int) ((long) i * entries.size() / n));
            try (DecodedImage img = decoder.decode(e.path(), e.bytes())) {
                for (HashRobustness.Measurement m : robustness.measure(img.bgr())) {
                    long[] s = sums.get(m.transform());
                    s[0] += m.distance() <= radius ? 1 : 0;
                    s[1] += m.distance();
                    s[2] += m.dihedralDistance() <= radius ? 1 : 0;
                    s[3] += m.dihedralDistance();
                }
            } catch (DecodeException de) {
                throw new IllegalStateException(de.getMessage());
            }
        }
        List<int[]> pairs = new ArrayList<>();
        long close = HashRobustness.closePairs(hashes, radius, pairs);
        long total = HashRobustness.pairCount(hashes.size());
        List<Map<String, Object>> rows = new ArrayList<>();
        out().printf(Locale.ROOT, "%-20s %10s %9s %19s %18s%n", "edit", "recall@" + radius, "mean dist", "recall (dihedral)", "mean (dihedral)");
        for (ImageTransform t : ImageTransform.values()) {
            long[] s = sums.get(t);
            out().printf(Locale.ROOT, "%-20s %10.3f %9.1f %19.3f %18.1f%n", t.name().toLowerCase(Locale.ROOT),
                    (double) s[0] / n, (double) s[1] / n, (double) s[2] / n, (double) s[3] / n);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("edit", t.name().toLowerCase(Locale.ROOT));
            row.put("recall", (double) s[0] / n);
            row.put("mean_distance", (double) s[1] / n);
            row.put("recall_dihedral", (double) s[2] / n);
            row.put("mean_distance_dihedral", (double) s[3] / n);
            rows.add(row);
        }
        out().printf(Locale.ROOT, "false matches: %d of %d pairs of %d photos within %d (rate %.2e); edits applied to %d photos; %d files failed%n",
                close, total, hashes.size(), radius, total == 0 ? 0.0 : (double) close / total, n, failed);
        for (int[] p : pairs.subList(0, Math.min(pairs.size(), 20))) {
            out().printf("  %s  %s  distance %d%n", entries.get(p[0]).path(), entries.get(p[1]).path(),
                    hashes.get(p[0]).distance(hashes.get(p[1])));
        }
        if (jsonOut.file() != null) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("dataset", dataset.toString());
            o.put("radius", radius);
            o.put("edited_photos", n);
            o.put("edits", rows);
            o.put("photos", hashes.size());
            o.put("pairs", total);
            o.put("false_matches", close);
            o.put("false_match_rate", total == 0 ? 0.0 : (double) close / total);
            Json.PRETTY.writeValue(jsonOut.file().toFile(), o);
        }
        return failed > 0 ? ExitCodes.SOME_FAILED : ExitCodes.OK;
    }
}
