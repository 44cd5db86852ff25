package org.likeness.eval;

import org.junit.jupiter.api.Test;
import org.likeness.Models;
import org.likeness.SharedData;
import org.likeness.face.Face;
import org.likeness.image.DecodedImage;
import org.likeness.image.ImageDecoder;
import org.likeness.registry.Identification;
import org.likeness.registry.MatchPolicy;
import org.likeness.registry.TemplateGallery;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Template-set scoring and impostor calibration of the fail-closed evaluation, on real lfw-dev faces. */
class FailClosedEvalTest {
    private static FailClosedEval.LabelledFace face(String person, int n) throws Exception {
        String name = String.format("%s/%s_%04d.jpg", person, person, n);
        Path p = SharedData.require("lfw-dev/images").resolve(name);
        try (DecodedImage img = new ImageDecoder().decode(p.toString(), Files.readAllBytes(p))) {
            List<Face> fs = Models.pipeline().faces(img.bgr());
            int i = PrimaryFace.index(fs.stream().map(Face::box).toList(), img.bgr().cols(), img.bgr().rows());
            assertThat(i).as(name).isGreaterThanOrEqualTo(0);
            Face f = fs.get(i);
            return new FailClosedEval.LabelledFace(person, name, f, FailClosedEval.unit(f.embedding().vector()));
        }
    }

    private static Map<String, List<FailClosedEval.LabelledFace>> people() throws Exception {
        Map<String, List<FailClosedEval.LabelledFace>> m = new TreeMap<>();
        for (String person : new String[]{"Colin_Powell", "George_W_Bush", "Tony_Blair"}) {
            List<FailClosedEval.LabelledFace> fs = new ArrayList<>();
            for (int n = 1; n <= 4; n++) {
                fs.add(face(person, n));
            }
            m.put(person, fs);
        }
        return m;
    }

    @Test
    void maxIsTheRegistrysRuleAndTheWeightedMeanLiesBetweenTheTemplates() throws Exception {
        Map<String, List<FailClosedEval.LabelledFace>> m = people();
        // Colin_Powell and Tony_Blair (every other person) are enrolled from 3 photos; George_W_Bush is the stranger
        FailClosedEval.Gallery g = new FailClosedEval.Gallery(m, Map.of(), 3, 0);
        assertThat(g.subjects()).isEqualTo(2);
        assertThat(g.templates()).isEqualTo(6);
        FailClosedEval.LabelledFace probe = m.get("Colin_Powell").get(3);
        FailClosedEval.Ranked max = g.rank(probe.unit(), FailClosedEval.Scoring.MAX);
        FailClosedEval.Ranked mean = g.rank(probe.unit(), FailClosedEval.Scoring.QUALITY_WEIGHTED_MEAN);
        assertThat(g.subjects.get(max.best())).isEqualTo("Colin_Powell");
        assertThat(g.subjects.get(mean.best())).isEqualTo("Colin_Powell");

        String[] ids = new String[6];
        float[][] templates = new float[6][];
        float[] sims = new float[3];
        float[] q = new float[3];
        for (int t = 0; t < 6; t++) {
            String who = t < 3 ? "Colin_Powell" : "Tony_Blair";
            FailClosedEval.LabelledFace f = m.get(who).get(t % 3);
            ids[t] = who;
            templates[t] = f.face().embedding().vector();
            if (t < 3) {
                sims[t] = FailClosedEval.dot(f.unit(), 0, probe.unit(), 0, probe.unit().length);
                q[t] = f.quality();
            }
        }
        try (TemplateGallery reg = TemplateGallery.of("fr-feature-512", MatchPolicy.withProvisionalMargin(0.3),
                ids, templates, TemplateGallery.Search.BRUTE_FORCE)) {
            Identification id = reg.identifyExact(probe.face().embedding().vector());
            assertThat(id.candidate()).isEqualTo("Colin_Powell");
            assertThat(max.bestScore()).isCloseTo((float) id.score(), within(1e-5f));
            assertThat(max.secondScore()).isCloseTo((float) id.runnerUpScore(), within(1e-5f));
        }
        double expected = (q[0] * sims[0] + q[1] * sims[1] + q[2] * sims[2]) / (q[0] + q[1] + q[2]);
        assertThat(mean.bestScore()).isCloseTo((float) expected, within(1e-5f));
        float lo = Math.min(sims[0], Math.min(sims[1], sims[2]));
        assertThat(mean.bestScore()).isBetween(lo, max.bestScore());
        assertThat(max.bestScore()).isGreaterThan(mean.bestScore()); // three different photos never score alike
    }

    @Test
    void calibratedThresholdLetsThroughAtMostTheAskedShareOfImpostorComparisons() throws Exception {
        Map<String, List<FailClosedEval.LabelledFace>> m = people();
        FailClosedEval.Impostors imp = FailClosedEval.Impostors.of(m);
        assertThat(imp.pairs()).isEqualTo(3 * 16);
        List<FailClosedEval.LabelledFace> all = imp.faces();
        for (double fmr : new double[]{0.01, 0.05}) {
            FailClosedEval.Calibration c = imp.threshold(fmr, null);
            int above = 0;
            float bestBelow = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < all.size(); i++) {
                for (int j = 0; j < all.size(); j++) {
                    if (!all.get(i).person().equals(all.get(j).person())) {
                        float s = FailClosedEval.dot(all.get(i).unit(), 0, all.get(j).unit(), 0, all.get(i).unit().length);
                        if (s >= c.threshold()) {
                            above++;
                        } else {
                            bestBelow = Math.max(bestBelow, s);
                        }
                    }
                }
            }
            assertThat(c.comparisons()).isEqualTo(96);
            assertThat((long) above).as("fmr %s", fmr).isEqualTo(c.above()).isLessThanOrEqualTo((long) Math.floor(fmr * 96));
            assertThat(c.resolved()).isFalse();
        }
    }
}
