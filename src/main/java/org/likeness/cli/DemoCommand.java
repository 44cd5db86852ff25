package org.likeness.cli;

import org.likeness.cluster.Components;
import org.likeness.face.Face;
import org.likeness.face.FacePipeline;
import org.likeness.face.MatchThreshold;
import org.likeness.model.ModelCatalogue;
import org.likeness.model.ModelFile;
import org.likeness.model.ModelStore;
import org.likeness.scan.DatasetReader;
import org.likeness.scan.ScanFile;
import org.likeness.scan.ScanRecord;
import org.likeness.scan.ScanSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code likeness demo}: the whole set-up and a first scan on a fresh machine. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Fetch the models and demo photos if needed, scan the demo photos, and say how many people they show.")
final class DemoCommand implements Callable<Integer> {
    @Mixin
    PipelineOptions pipelineOptions;

    @Override
    public Integer call() throws IOException {
        ModelStore store = ModelStore.fromEnvironment();
        List<ModelFile> got = store.fetch(false, msg -> System.err.println(msg));
        if (!got.isEmpty()) {
            System.err.println("fetched " + got.size() + " model and demo file(s) into " + store.home().resolve("models"));
        }
        Path root = store.home().resolve("models");
        List<String> photos = ModelCatalogue.files().stream().filter(f -> f.role() == ModelFile.Role.DEMO_PHOTO)
                .map(f -> f.id() + "/" + f.fileName()).toList();
        Path out = store.home().resolve("demo").resolve("scan.jsonl.gz");
        Files.createDirectories(out.getParent());
        try (FacePipeline pipeline = pipelineOptions.open(1)) {
            ScanSummary s = ScanCommand.scan(pipeline, "demo photos", () -> DatasetReader.ofFiles(root, photos), photos.size(),
                    out, Runtime.getRuntime().availableProcessors(), false, false, true);
            List<ScanRecord> recs = ScanFile.readAll(out);
            List<Face> faces = new ArrayList<>();
            for (ScanRecord r : recs) {
                System.out.printf(Locale.ROOT, "%-34s %4dx%-4d %2d face(s)%s%n", r.path(), r.width(), r.height(), r.faces().size(),
                        r.ok() ? "" : "  FAILED: " + r.error());
                faces.addAll(r.faces());
            }
            float thr = MatchThreshold.forModel(pipeline.embedderId());
            int people = distinctPeople(faces, thr);
            System.out.println(s.line());
            System.out.printf(Locale.ROOT, "%d faces in %d photos belong to about %d distinct people (faces joined when similarity ≥ %.3f, the FMR 1e-4 threshold)%n",
                    faces.size(), recs.size(), people, thr);
            System.out.println("scan file: " + out);
            return s.failures() > 0 ? ExitCodes.SOME_FAILED : ExitCodes.OK;
        }
    }

    /** Connected components of the graph "similarity ≥ threshold": a first, provisional count of people. */
    static int distinctPeople(List<Face> faces, float threshold) {
        Components people = new Components(faces.size());
        for (int i = 0; i < faces.size(); i++) {
            for (int j = i + 1; j < faces.size(); j++) {
                if (faces.get(i).embedding().similarity(faces.get(j).embedding()) >= threshold) {
                    people.join(i, j);
                }
            }
        }
        return people.groups().size();
    }
}
