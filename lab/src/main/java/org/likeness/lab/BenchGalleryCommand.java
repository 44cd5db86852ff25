package org.likeness.lab;

import org.likeness.cli.BaseCommand;
import org.likeness.cli.ExitCodes;
import org.likeness.cli.ScanCommand;

import org.likeness.eval.LabelledFaces;
import org.likeness.face.MatchThreshold;
import org.likeness.registry.Identification;
import org.likeness.registry.MatchPolicy;
import org.likeness.registry.TemplateGallery;
import org.likeness.scan.ScanFile;
import org.likeness.scan.ScanHeader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;

/** {@code likeness bench gallery SCAN}: the registry's default search against brute force on real vectors. */
@Command(name = "gallery", mixinStandardHelpOptions = true,
        description = "From a scan of a person/photo folder: hold out one photo per person with ≥ 2, enrol the rest, and compare the default gallery search with brute force on the held-out photos.")
final class BenchGalleryCommand extends BaseCommand {
    @Parameters(index = "0", description = "Scan file of a labelled folder (e.g. of ../shared/data/lfw-dev/images).")
    Path scan;

    @Override
    public Integer call() throws IOException {
        LabelledFaces faces = new LabelledFaces();
        ScanHeader h = ScanFile.read(scan, faces, ScanCommand.problems(err(), scan));
        Map<String, List<float[]>> byPerson = faces.byPerson();
        List<String> subjects = new ArrayList<>();
        List<float[]> templates = new ArrayList<>();
        List<String> probeSubject = new ArrayList<>();
        List<float[]> probes = new ArrayList<>();
        for (Map.Entry<String, List<float[]>> e : byPerson.entrySet()) {
            List<float[]> v = e.getValue();
            int first = 0;
            if (v.size() >= 2) {
                probes.add(v.get(0));
                probeSubject.add(e.getKey());
                first = 1;
            }
            for (int i = first; i < v.size(); i++) {
                templates.add(v.get(i));
                subjects.add(e.getKey());
            }
        }
        MatchPolicy policy = MatchPolicy.withProvisionalMargin(MatchThreshold.forModel(h.embedder()));
        try (TemplateGallery g = TemplateGallery.of(h.embedder(), policy, subjects.toArray(String[]::new),
                templates.toArray(float[][]::new), TemplateGallery.Search.AUTO)) {
            int agree = 0, rightExact = 0, rightDefault = 0, wrongExact = 0;
            long nDefault = 0, nExact = 0;
            for (int i = 0; i < probes.size(); i++) {
                long t0 = System.nanoTime();
                Identification x = g.identify(probes.get(i));
                long t1 = System.nanoTime();
                Identification y = g.identifyExact(probes.get(i));
                nDefault += t1 - t0;
                nExact += System.nanoTime() - t1;
                agree += x.outcome() == y.outcome() && Objects.equals(x.subject(), y.subject()) ? 1 : 0;
                rightExact += y.subject().map(probeSubject.get(i)::equals).orElse(false) ? 1 : 0;
                rightDefault += x.subject().map(probeSubject.get(i)::equals).orElse(false) ? 1 : 0;
                wrongExact += y.subject().isPresent() && !y.subject().get().equals(probeSubject.get(i)) ? 1 : 0;
            }
            out().printf(Locale.ROOT, "gallery %d templates of %d subjects (approximate=%s), %d probes: default search agrees with brute force on %d (%.2f%%); identified correctly: exact %d, default %d; wrong subject (exact): %d; mean ms default %.3f exact %.3f%n",
                    g.size(), g.subjects(), g.approximate(), probes.size(), agree, 100.0 * agree / Math.max(1, probes.size()),
                    rightExact, rightDefault, wrongExact, nDefault / 1e6 / Math.max(1, probes.size()), nExact / 1e6 / Math.max(1, probes.size()));
        }
        return ExitCodes.OK;
    }
}
