package org.likeness.face;

import org.junit.jupiter.api.Test;
import org.likeness.Models;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;

/** Measurement only (run by name): how often upright lfw-dev faces pay for the orientation check, and what changes. */
class OrientationCostProbe {
    @Test
    @org.junit.jupiter.api.condition.EnabledIfSystemProperty(named = "probe.pairs", matches = ".+")
    void probe() throws Exception {
        String pairs = System.getProperty("probe.pairs");
        Path root = org.likeness.SharedData.require("lfw-dev/images");
        TreeSet<String> names = new TreeSet<>();
        for (String l : Files.readAllLines(Path.of(pairs)).subList(1, 301)) {
            String[] f = l.split("\t");
            if (f.length == 3) {
                names.add(f[0] + "/" + f[0] + String.format("_%04d.jpg", Integer.parseInt(f[1])));
                names.add(f[0] + "/" + f[0] + String.format("_%04d.jpg", Integer.parseInt(f[2])));
            } else {
                names.add(f[0] + "/" + f[0] + String.format("_%04d.jpg", Integer.parseInt(f[1])));
                names.add(f[2] + "/" + f[2] + String.format("_%04d.jpg", Integer.parseInt(f[3])));
            }
        }
        FacePipeline p = Models.pipeline();
        int faces = 0, checked = 0, changed = 0;
        long tUp = 0, tNew = 0;
        for (String n : names) {
            var img = RotatedFaceTest.read(root.resolve(n));
            for (Detection d : p.detector().detect(img)) {
                long t0 = System.nanoTime();
                FacePipeline.Described up = p.describe(img, d, false);
                long t1 = System.nanoTime();
                FacePipeline.Described now = p.describe(img, d, true);
                long t2 = System.nanoTime();
                tUp += t1 - t0;
                tNew += t2 - t1;
                faces++;
                if (up.rawNorm() < FacePipeline.ORIENTATION_CHECK_BELOW) {
                    checked++;
                }
                float c = up.face().embedding().similarity(now.face().embedding());
                if (c < 0.999f) {
                    changed++;
                    System.out.printf("ORI changed %s norm %.2f -> %.2f cos %.3f%n", n, up.rawNorm(), now.rawNorm(), c);
                }
            }
        }
        System.out.printf("ORI %d images, %d faces, %d checked (%.1f %%), %d changed; describe %.1f ms/face upright-only, %.1f ms/face with the check%n",
                names.size(), faces, checked, 100.0 * checked / faces, changed, tUp / 1e6 / faces, tNew / 1e6 / faces);
    }
}
