package org.likeness.face;

import org.junit.jupiter.api.Test;
import org.likeness.Models;
import org.opencv.core.Core;
import org.opencv.core.Mat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Measurement only (run by name with -Dprobe.gate=LIST, a file of photo paths, and -Dprobe.out=FILE): each photo turned
 * by each quarter turn, and each face found in it read with the orientation check. A row per face: the turn, the eye
 * distance of its upright reading (the landmark model's guess, before any check), its raw embedding length, and the
 * eye distance and raw length of the reading kept, and the detector's box (width, height). Says whether a gate on the upright reading's eye distance would
 * skip faces that the check reads turned and large enough to be assessed (docs/DECISIONS.md, "Rotated faces").
 */
class OrientationGateProbe {
    @Test
    @org.junit.jupiter.api.condition.EnabledIfSystemProperty(named = "probe.gate", matches = ".+")
    void probe() throws Exception {
        List<String> files = Files.readAllLines(Path.of(System.getProperty("probe.gate")));
        FacePipeline p = Models.pipeline();
        int[] turns = {-1, Core.ROTATE_90_CLOCKWISE, Core.ROTATE_180, Core.ROTATE_90_COUNTERCLOCKWISE};
        List<String> rows = new ArrayList<>();
        for (String f : files) {
            Mat upright = RotatedFaceTest.read(Path.of(f));
            for (int t : turns) {
                Mat img = t < 0 ? upright : RotatedFaceTest.turned(upright, t);
                for (Detection d : p.detector().detect(img)) {
                    FacePipeline.Described plain = p.describe(img, d, false);
                    FacePipeline.Described checked = p.describe(img, d, true);
                    rows.add(String.format(java.util.Locale.ROOT, "%s %d %.2f %.3f %.2f %.3f %.1f %.1f", Path.of(f).getFileName(), t,
                            plain.face().quality().eyePixels(), plain.rawNorm(),
                            checked.face().quality().eyePixels(), checked.rawNorm(), d.box().w(), d.box().h()));
                }
            }
        }
        Files.write(Path.of(System.getProperty("probe.out")), rows);
    }
}
