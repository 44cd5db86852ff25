package org.likeness.hash;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.likeness.SharedData;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * Thumbnails narrower or shorter than the 64×64 PDQ grid (e.g. 34×42) are hashed without error and to the same
 * hash whatever the same hasher (one per thread) hashed before: a small image after a large one, and the reverse.
 */
class PdqSmallImagesTest {
    private static Mat photo;

    @BeforeAll
    static void load() {
        nu.pattern.OpenCV.loadLocally();
        Path jpg = SharedData.require("lfw-dev/images").resolve("Aaron_Peirsol/Aaron_Peirsol_0001.jpg");
        photo = Imgcodecs.imread(jpg.toString(), Imgcodecs.IMREAD_COLOR);
        assertThat(photo.empty()).isFalse();
    }

    private static Mat resized(int w, int h) {
        Mat m = new Mat();
        Imgproc.resize(photo, m, new Size(w, h), 0, 0, Imgproc.INTER_AREA);
        return m;
    }

    @Test
    void everySmallSizeHashesTheSameOnAFreshAndOnAUsedHasher() {
        Mat large = resized(600, 700);
        Mat medium = resized(250, 250);
        PdqHasher used = new PdqHasher();
        PdqHasher usedSmall = new PdqHasher();
        int checked = 0;
        for (int w = 1; w <= 80; w += (w < 70 ? 1 : 5)) {
            for (int h = 1; h <= 520; h += (h < 70 ? 1 : 37)) {
                Mat m = resized(w, h);
                PdqResult fresh = new PdqHasher().hash(m);
                used.hash(large);
                PdqResult afterLarge = used.hash(m);
                used.hash(medium);
                PdqResult afterMedium = used.hash(m);
                usedSmall.hash(resized(5, 5));
                PdqResult afterTiny = usedSmall.hash(m);
                assertThat(afterLarge).as("%dx%d after a 600x700 image", w, h).isEqualTo(fresh);
                assertThat(afterMedium).as("%dx%d after a 250x250 image", w, h).isEqualTo(fresh);
                assertThat(afterTiny).as("%dx%d after a 5x5 image", w, h).isEqualTo(fresh);
                boolean prescaled = w > PdqHasher.REFERENCE_PRESCALE_SIDE || h > PdqHasher.REFERENCE_PRESCALE_SIDE;
                if (!prescaled && (w < PdqHasher.MIN_HASHABLE_SIDE || h < PdqHasher.MIN_HASHABLE_SIDE)) {
                    assertThat(fresh.quality()).isZero();
                }
                m.release();
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(4000);
    }

    @Test
    void aThumbnailOfThirtyFourByFortyTwoHashesLikeItsUpscaledSelf() {
        // the thumbnail and its 4x enlargement are the same picture: their hashes are near (PDQ match radius 31)
        Mat thumb = resized(34, 42);
        Mat big = new Mat();
        Imgproc.resize(thumb, big, new Size(136, 168), 0, 0, Imgproc.INTER_LINEAR);
        PdqHasher hasher = new PdqHasher();
        PdqResult small = hasher.hash(thumb);
        PdqResult upscaled = hasher.hash(big);
        assertThat(small.hash().distance(upscaled.hash())).isLessThanOrEqualTo(31);
    }
}
