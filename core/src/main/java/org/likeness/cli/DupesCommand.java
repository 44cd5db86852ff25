package org.likeness.cli;

import org.likeness.json.Json;
import org.likeness.cluster.Components;
import org.likeness.hash.HashIndex;
import org.likeness.hash.HashIndexBuilder;
import org.likeness.hash.PdqResult;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code likeness dupes DATASET}. */
@Command(name = "dupes", mixinStandardHelpOptions = true,
        description = "Groups of near-duplicate images (PDQ within the radius, transitively) inside one dataset or scan file.")
final class DupesCommand extends BaseCommand {
    @Parameters(index = "0", description = "Folder, archive, or scan file (.jsonl[.gz]) with PDQ hashes.")
    Path dataset;
    @Mixin
    RadiusOption radiusOption;
    @Mixin
    JsonOption jsonOption;
    @Mixin
    ThreadsOption threadsOption;

    @Override
    public Integer call() throws IOException {
        List<DatasetHashes.Item> items = DatasetHashes.load(dataset, threadsOption.threads());
        List<DatasetHashes.Item> usable = new ArrayList<>();
        int failed = 0, lowQuality = 0;
        for (DatasetHashes.Item it : items) {
            if (it.error() != null) {
                failed++;
                err().println("likeness: " + it.path() + ": " + it.error());
            } else if (it.quality() < PdqResult.MIN_USEFUL_QUALITY) {
                lowQuality++;
            } else {
                usable.add(it);
            }
        }
        HashIndexBuilder b = HashIndex.builder();
        usable.forEach(it -> b.add(it.hash()));
        HashIndex index = b.build();
        Components photos = new Components(usable.size());
        for (int i = 0; i < usable.size(); i++) {
            for (int j : index.search(usable.get(i).hash(), radiusOption.radius)) {
                photos.join(i, j);
            }
        }
        List<List<Integer>> groups = photos.groups();
        List<List<String>> dupes = groups.stream().filter(g -> g.size() > 1)
                .map(g -> g.stream().map(i -> usable.get(i).path()).toList()).toList();
        int distinct = groups.size();
        if (jsonOption.json()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("images", items.size());
            o.put("distinct_photos", distinct);
            o.put("groups", dupes);
            o.put("low_quality", lowQuality);
            o.put("failed", failed);
            o.put("radius", radiusOption.radius);
            out().println(Json.MAPPER.writeValueAsString(o));
        } else {
            for (List<String> g : dupes) {
                out().println(g.size() + " copies: " + String.join("  ", g));
            }
            out().printf("%d images: %d distinct photos, %d near-duplicate groups (radius %d), %d below PDQ quality %d (not grouped), %d failed%n",
                    items.size(), distinct, dupes.size(), radiusOption.radius, lowQuality, PdqResult.MIN_USEFUL_QUALITY, failed);
        }
        return failed > 0 ? ExitCodes.SOME_FAILED : ExitCodes.OK;
    }
}
