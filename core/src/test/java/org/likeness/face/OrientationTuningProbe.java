package org.likeness.face;

import org.junit.jupiter.api.Test;
import org.likeness.Models;
import org.opencv.core.Core;
import org.opencv.core.Mat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Measurement only (run by name with -Dprobe.tuning=true): on photos of persons A-L (the tuning half), the raw length
 * of each face read upright (n0) and read in each quarter-turned copy without the check (r). An upright face would be
 * wrongly turned when max r / n0 wins; a turned face is rightly turned when n0 / r wins.
 */
class OrientationTuningProbe {
    @Test
    @org.junit.jupiter.api.condition.EnabledIfSystemProperty(named = "probe.tuning", matches = ".+")
    void probe() throws Exception {
        Path root = org.likeness.SharedData.require("lfw-dev/images");
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(x -> x.toString().endsWith(".jpg") && x.getFileName().toString().compareTo("M") < 0).sorted().toList();
        }
        FacePipeline p = Models.pipeline();
        int[] turns = {Core.ROTATE_90_CLOCKWISE, Core.ROTATE_180, Core.ROTATE_90_COUNTERCLOCKWISE};
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < files.size(); i += files.size() / 300) {
            Mat img = RotatedFaceTest.read(files.get(i));
            List<Detection> ds = p.detector().detect(img);
            if (ds.isEmpty()) {
                continue;
            }
            float n0 = p.describe(img, ds.get(0), false).rawNorm();
            StringBuilder b = new StringBuilder(String.format("TUNE %.3f", n0));
            for (int t : turns) {
                Mat rot = RotatedFaceTest.turned(img, t);
                Box there = Turn.box(ds.get(0).box(), t, img.cols(), img.rows());
                float r = -1;
                for (Detection d : p.detector().detect(rot)) {
                    if (d.box().iou(there) >= FacePipeline.MIN_TURNED_OVERLAP) {
                        r = Math.max(r, p.describe(rot, d, false).rawNorm());
                    }
                }
                b.append(String.format(" %.3f", r));
            }
            rows.add(b.toString());
        }
        Files.write(Path.of(System.getProperty("probe.tuning")), rows);
    }
}
