package org.likeness.hash;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class JaroszDownscalerTest {

    @Test
    void windowSizesFollowTheReference() {
        assertThat(JaroszDownscaler.windowSize(1024, 64)).isEqualTo(8); // reference comment: 1024 → window 8
        assertThat(JaroszDownscaler.windowSize(250, 64)).isEqualTo(2);
        assertThat(JaroszDownscaler.windowSize(64, 64)).isEqualTo(1);
        assertThat(JaroszDownscaler.windowSize(512, 64)).isEqualTo(4);
    }

    @Test
    void rowPassesAreBitIdenticalToTheStepByStepFilter() {
        Random random = new Random(12);
        for (int trial = 0; trial < 40; trial++) {
            int rows = 1 + random.nextInt(13);
            int cols = 1 + random.nextInt(300);
            int window = 1 + random.nextInt(Math.min(cols, 12));
            float[] in = new float[rows * cols];
            for (int i = 0; i < in.length; i++) {
                in[i] = random.nextFloat() * 255;
            }
            float[] expected = new float[in.length];
            for (int i = 0; i < rows; i++) {
                JaroszDownscaler.box1d(in, expected, i * cols, cols, 1, window);
            }
            float[] actual = new float[in.length];
            JaroszDownscaler.boxAlongRows(in, actual, rows, cols, window);
            assertThat(actual).as("rows %d cols %d window %d", rows, cols, window).containsExactly(expected);
        }
    }

    @Test
    void sampledRowPassIsBitIdenticalToTheStepByStepFilter() {
        Random random = new Random(13);
        for (int trial = 0; trial < 40; trial++) {
            int cols = 1 + random.nextInt(300);
            int window = JaroszDownscaler.windowSize(cols, 64);
            int[] sampled = JaroszDownscaler.centres(cols, 64); // repeats when cols < 64
            float[] in = new float[4 * cols];
            for (int i = 0; i < in.length; i++) {
                in[i] = random.nextFloat() * 255;
            }
            float[] full = new float[in.length];
            for (int i = 0; i < 4; i++) {
                JaroszDownscaler.box1d(in, full, i * cols, cols, 1, window);
            }
            float[] expected = new float[4 * 64];
            for (int i = 0; i < 4; i++) {
                for (int o = 0; o < 64; o++) {
                    expected[i * 64 + o] = full[i * cols + sampled[o]];
                }
            }
            float[] actual = new float[4 * 64];
            JaroszDownscaler.boxFourRowsSampled(in, 0, cols, window, sampled, actual, 0);
            assertThat(actual).as("cols %d window %d", cols, window).containsExactly(expected);
        }
    }

    @Test
    void columnPassIsBitIdenticalToTheStepByStepFilter() {
        Random random = new Random(11);
        for (int trial = 0; trial < 40; trial++) {
            int rows = 1 + random.nextInt(300);
            int cols = 1 + random.nextInt(40);
            int window = 1 + random.nextInt(Math.min(rows, 12));
            float[] in = new float[rows * cols];
            for (int i = 0; i < in.length; i++) {
                in[i] = random.nextFloat() * 255;
            }
            float[] expected = new float[in.length];
            for (int j = 0; j < cols; j++) {
                JaroszDownscaler.box1d(in, expected, j, rows, cols, window);
            }
            float[] actual = new float[in.length];
            JaroszDownscaler.boxDownColumns(in, actual, rows, cols, window, new float[cols]);
            assertThat(actual).as("rows %d cols %d window %d", rows, cols, window).containsExactly(expected);
        }
    }
}
