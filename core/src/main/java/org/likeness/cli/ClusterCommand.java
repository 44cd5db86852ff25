package org.likeness.cli;

import org.likeness.json.Json;
import org.likeness.cluster.ChineseWhispers;
import org.likeness.face.Face;
import org.likeness.face.MatchThreshold;
import org.likeness.scan.ScanFile;
import org.likeness.scan.ScanHeader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/** {@code likeness cluster SCAN -o identities.json}. */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = "Group every face of a scan into identities (how many people, how many photos each) without knowing who they are.")
public final class ClusterCommand extends BaseCommand {
    /** Fixed so that two runs over the same scan give the same identities. */
    public static final long SEED = 20261126L;

    @Parameters(index = "0", description = "Scan file (.jsonl[.gz]).")
    Path scan;
    @Option(names = {"-o", "--output"}, required = true, description = "identities.json to write.")
    Path output;

    /** A face of the scan: where it is and its vector. */
    record Item(String path, Face face) {
    }

    @Override
    public Integer call() throws IOException {
        List<Item> items = new ArrayList<>();
        ScanHeader h = ScanFile.read(scan, r -> r.faces().forEach(f -> items.add(new Item(r.path(), f))), ScanCommand.problems(err(), scan));
        float threshold = MatchThreshold.atFmr(h.embedder(), ChineseWhispers.edgeFmr(items.size()));
        int[] label = ChineseWhispers.cluster(items.stream().map(i -> i.face().embedding().vector()).toList(), threshold, SEED);
        Map<Integer, List<Map<String, Object>>> byId = new TreeMap<>();
        for (int i = 0; i < items.size(); i++) {
            var b = items.get(i).face().box();
            byId.computeIfAbsent(label[i], k -> new ArrayList<>()).add(Map.of("path", items.get(i).path(),
                    "box", List.of(b.x(), b.y(), b.w(), b.h())));
        }
        List<Map<String, Object>> identities = new ArrayList<>();
        byId.forEach((id, faces) -> {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("id", id);
            o.put("size", faces.size());
            o.put("faces", faces);
            identities.add(o);
        });
        identities.sort((a, b) -> Integer.compare((int) b.get("size"), (int) a.get("size")));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("scan", scan.toString());
        out.put("embedder", h.embedder());
        out.put("threshold", threshold);
        out.put("faces", items.size());
        out.put("identities", identities.size());
        out.put("clusters", identities);
        Json.PRETTY.writeValue(output.toFile(), out);
        long single = identities.stream().filter(i -> (int) i.get("size") == 1).count();
        out().printf("%d faces: %d identities (%d seen once), largest %s faces; written to %s%n", items.size(), identities.size(),
                single, identities.isEmpty() ? 0 : identities.get(0).get("size"), output);
        return ExitCodes.OK;
    }
}
