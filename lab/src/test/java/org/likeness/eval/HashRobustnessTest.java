package org.likeness.eval;

import org.likeness.hash.HashIndexTest;
import org.likeness.hash.HashIndex;
import org.likeness.hash.PdqHash;

import org.likeness.SharedData;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;

class HashRobustnessTest {

    @BeforeAll
    static void loadOpenCv() {
        nu.pattern.OpenCV.loadLocally();
    }

    @Test
    void measuresEveryEditOnARealPhoto() {
        Mat photo = Imgcodecs.imread(SharedData.require("pdq").resolve("lfw-png/Adam_Scott_0001.png").toString(),
                Imgcodecs.IMREAD_COLOR);
        List<HashRobustness.Measurement> ms = new HashRobustness().measure(photo);
        assertThat(ms).extracting(HashRobustness.Measurement::transform).containsExactly(ImageTransform.values());
        for (HashRobustness.Measurement m : ms) {
            assertThat(m.dihedralDistance()).isLessThanOrEqualTo(m.distance());
            if (m.transform() == ImageTransform.JPEG_90) {
                assertThat(m.distance()).isLessThanOrEqualTo(HashIndex.MATCH_THRESHOLD);
            }
            if (m.transform() == ImageTransform.ROTATE_90) {
                assertThat(m.distance()).isGreaterThan(HashIndex.MATCH_THRESHOLD);
                assertThat(m.dihedralDistance()).isLessThanOrEqualTo(HashIndex.MATCH_THRESHOLD);
            }
        }
    }

    @Test
    void closePairsCountsEveryPairOnce() {
        Random r = new Random(9);
        List<PdqHash> hashes = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            hashes.add(i % 7 == 0 && i > 0 ? HashIndexTest.perturb(hashes.get(i - 1), r.nextInt(40), r)
                    : HashIndexTest.random(r));
        }
        long expected = 0;
        for (int i = 0; i < hashes.size(); i++) {
            for (int j = i + 1; j < hashes.size(); j++) {
                expected += hashes.get(i).distance(hashes.get(j)) <= 31 ? 1 : 0;
            }
        }
        List<int[]> pairs = new ArrayList<>();
        assertThat(HashRobustness.closePairs(hashes, 31, pairs)).isEqualTo(expected).isPositive();
        assertThat(pairs).hasSize((int) expected);
        assertThat(HashRobustness.pairCount(300)).isEqualTo(300 * 299 / 2);
    }
}
