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
 * A photo with several faces checked for orientation searches each quarter turn once, and gets the faces a search per
 * face gave: Abdel_Nasser_Assidi_0001 (lfw-dev) has two small faces whose upright reading is short, and took seven
 * detector runs before (1 upright + 3 turns × 2 faces).
 */
class TurnedCopiesTest {
    private static final String PHOTO = "Abdel_Nasser_Assidi/Abdel_Nasser_Assidi_0001.jpg";

    @Test
    void eachTurnIsSearchedOncePerPhotoWithTheSameFaces() throws Exception {
        ModelStore store = Models.store();
        CountingDetector detector = new CountingDetector(FacePipeline.detector(store, ModelCatalogue.ULTRAFACE, 1));
        FacePipeline counted = new FacePipeline(detector, new LandmarkModel(store.require(ModelCatalogue.LANDMARK68), 1),
                new FaceEmbedder(store.require(ModelCatalogue.ARCFACE512), 1, false), FacePipeline.Options.defaults(1));
        Path p = SharedData.require("lfw-dev/images").resolve(PHOTO);
        try (counted; DecodedImage img = new ImageDecoder().decode(p.toString(), Files.readAllBytes(p))) {
            List<Face> faces = counted.faces(img.bgr());
            long runs = detector.runs.get();
            int checked = 0;
            for (Detection d : detector.inner.detect(img.bgr())) {
                if (counted.describe(img.bgr(), d, false).rawNorm() < FacePipeline.ORIENTATION_CHECK_BELOW) {
                    checked++;
                }
            }
            assertThat(checked).as("faces of " + PHOTO + " checked for orientation").isGreaterThanOrEqualTo(2);
            assertThat(runs).as("detector runs for the photo: upright, then each quarter turn once").isEqualTo(1 + 3);
            // the same faces, vector for vector, as each face described on its own (its own turned searches)
            List<Detection> upright = detector.inner.detect(img.bgr());
            assertThat(faces).hasSize(upright.size());
            for (int i = 0; i < faces.size(); i++) {
                Face alone = counted.describe(img.bgr(), upright.get(i));
                assertThat(faces.get(i).box()).isEqualTo(alone.box());
                assertThat(faces.get(i).embedding().vector()).containsExactly(alone.embedding().vector());
            }
        }
    }
}
