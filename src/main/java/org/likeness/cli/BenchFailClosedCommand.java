package org.likeness.cli;

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
import java.util.concurrent.Callable;

/**
 * {@code likeness bench failclosed SCAN}: issue 5's fail-closed target. Every other person of a labelled scan (with
 * ≥ 2 photos) is enrolled from their first photo and consents; everyone else is a stranger. Each stranger face that
 * the registry identifies as some subject would be reported as consented: that rate must stay ≤ 0.1 %.
 */
@Command(name = "failclosed", mixinStandardHelpOptions = true,
        description = "How many faces of unregistered strangers the registry would identify as a consenting subject.")
final class BenchFailClosedCommand extends BaseCommand {
    @Parameters(index = "0", description = "Scan file of a labelled person/photo folder (e.g. of lfw-dev).")
    Path scan;
    @picocli.CommandLine.Option(names = "--fmr-1e-4", description = "Use the one-to-one FMR 1e-4 threshold instead of the gallery-size rule (for comparison).")
    boolean fixedFmr1e4;

    @Override
    public Integer call() throws IOException {
        LabelledFaces faces = new LabelledFaces();
        ScanHeader h = ScanFile.read(scan, faces, ScanCommand.problems(err(), scan));
        Map<String, List<float[]>> byPerson = faces.byPerson();
        List<String> subjects = new ArrayList<>();
        List<float[]> templates = new ArrayList<>();
        List<float[]> consentedProbes = new ArrayList<>();
        List<float[]> strangers = new ArrayList<>();
        int k = 0;
        for (Map.Entry<String, List<float[]>> e : byPerson.entrySet()) {
            List<float[]> v = e.getValue();
            if (v.size() >= 2 && k++ % 2 == 0) {
                subjects.add(e.getKey());
                templates.add(v.get(0));
                consentedProbes.addAll(v.subList(1, v.size()));
            } else {
                strangers.addAll(v);
            }
        }
        float threshold = fixedFmr1e4 ? MatchThreshold.forModel(h.embedder()) : MatchThreshold.forIdentification(h.embedder(), subjects.size());
        MatchPolicy policy = MatchPolicy.withProvisionalMargin(threshold);
        try (TemplateGallery g = TemplateGallery.of(h.embedder(), policy, subjects.toArray(String[]::new),
                templates.toArray(float[][]::new), TemplateGallery.Search.AUTO)) {
            int wronglyConsented = 0;
            for (float[] s : strangers) {
                Identification id = g.identify(s);
                wronglyConsented += id.subject().isPresent() ? 1 : 0;
            }
            int recognised = 0;
            for (float[] c : consentedProbes) {
                recognised += g.identify(c).subject().isPresent() ? 1 : 0;
            }
            out().printf(Locale.ROOT, "threshold %.4f: %d subjects enrolled (1 photo each, all consenting); %d stranger faces: %d reported as consented (%.4f%%); %d faces of enrolled people: %d recognised (%.2f%%)%n",
                    threshold, subjects.size(), strangers.size(), wronglyConsented, 100.0 * wronglyConsented / Math.max(1, strangers.size()),
                    consentedProbes.size(), recognised, 100.0 * recognised / Math.max(1, consentedProbes.size()));
        }
        return ExitCodes.OK;
    }
}
