package org.likeness.face;

import org.junit.jupiter.api.Test;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

import static org.assertj.core.api.Assertions.assertThat;

/** Coordinates follow OpenCV's quarter turns on a non-square image: a marked pixel lands where {@link Turn} says. */
class TurnTest {
    static {
        org.likeness.image.NativeOpenCv.load();
    }

    @Test
    void aMarkedPixelLandsWhereTurnSays() {
        int w = 7, h = 4;
        for (int turn : new int[] {Core.ROTATE_90_CLOCKWISE, Core.ROTATE_180, Core.ROTATE_90_COUNTERCLOCKWISE}) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    Mat m = Mat.zeros(h, w, CvType.CV_8UC1);
                    m.put(y, x, 255);
                    Mat r = new Mat();
                    Core.rotate(m, r, turn);
                    float[] c = Turn.forward(x + 0.5f, y + 0.5f, turn, w, h); // the pixel's centre
                    assertThat(r.get((int) Math.floor(c[1]), (int) Math.floor(c[0]))[0]).as("turn %d pixel %d,%d", turn, x, y).isEqualTo(255);
                    float[] back = Turn.back(c[0], c[1], turn, w, h);
                    assertThat(back[0]).isEqualTo(x + 0.5f);
                    assertThat(back[1]).isEqualTo(y + 0.5f);
                }
            }
            Box b = new Box(1, 1, 3, 2);
            Box there = Turn.box(b, turn, w, h);
            Box again = Turn.boxBack(there, turn, w, h);
            assertThat(again).isEqualTo(b);
        }
    }
}
