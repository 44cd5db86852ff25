package org.likeness.face;

import org.junit.jupiter.api.Test;
import org.likeness.Models;
import org.likeness.SharedData;
import org.likeness.bench.CountingDetector;
import org.likeness.image.DecodedImage;
import org.likeness.image.ImageDecoder;
import org.likeness.model.ModelCatalogue;
import org.likeness.model.ModelStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A face too small to be assessed whichever way it is read is not checked for orientation (docs/DECISIONS.md,
 * "Rotated faces"): Colin_Farrell_0006 (lfw-dev) has a 13-pixel background face whose upright reading is short; the
 * photo took four detector runs before (upright, then the three quarter turns for that face), one now, and its faces
 * are read as without the check.
 */
class OrientationGateTest {
    private static final String PHOTO = "Colin_Farrell/Colin_Farrell_0006.jpg";

    @Test
    void aFaceTooSmallForTheProbeGateIsNotSearchedForInTurnedCopies() throws Exception {
        ModelStore store = Models.store();
        CountingDetector detector = new CountingDetector(FacePipeline.detector(store, ModelCatalogue.ULTRAFACE, 1));
        FacePipeline counted = new FacePipeline(detector, new LandmarkModel(store.require(ModelCatalogue.LANDMARK68), 1),
                new FaceEmbedder(store.require(ModelCatalogue.ARCFACE512), 1, false), FacePipeline.Options.defaults(1));
        Path p = SharedData.require("lfw-dev/images").resolve(PHOTO);
        try (counted; DecodedImage img = new ImageDecoder().decode(p.toString(), Files.readAllBytes(p))) {
            List<Detection> upright = detector.inner.detect(img.bgr());
            int small = 0;
            for (Detection d : upright) {
                FacePipeline.Described plain = counted.describe(img.bgr(), d, false);
                if (plain.rawNorm() < FacePipeline.ORIENTATION_CHECK_BELOW) {
                    // the only face of the photo that the check would read: short, and too small to be assessed
                    assertThat(Math.max(d.box().w(), d.box().h())).isLessThan(FacePipeline.ORIENTATION_MIN_BOX_PX);
                    assertThat(ProbeGate.DEFAULT.passes(plain.face())).isFalse();
                    small++;
                }
            }
            assertThat(small).as("short readings among the faces of " + PHOTO).isEqualTo(1);
            long before = detector.runs.get();
            List<Face> faces = counted.faces(img.bgr());
            assertThat(detector.runs.get() - before).as("detector runs for the photo: the upright one only").isEqualTo(1);
            assertThat(faces).hasSize(upright.size());
            for (int i = 0; i < faces.size(); i++) {
                Face plain = counted.describe(img.bgr(), upright.get(i), false).face();
                assertThat(faces.get(i).box()).isEqualTo(plain.box());
                assertThat(faces.get(i).embedding().vector()).containsExactly(plain.embedding().vector());
            }
        }
    }
}
