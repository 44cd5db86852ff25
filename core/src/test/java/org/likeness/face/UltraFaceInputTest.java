package org.likeness.face;

import org.junit.jupiter.api.Test;
import org.likeness.SharedData;
import org.likeness.image.DecodedImage;
import org.likeness.image.ImageDecoder;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The detector's input, written by OpenCV straight into the model's buffer, is bit for bit the model's documented
 * normalisation: RGB planes of (x − 127) / 128 of the photo stretched to 320×240 (what the Java loop computed before).
 */
class UltraFaceInputTest {
    private static float[] reference(Mat bgr) {
        Mat small = new Mat();
        Imgproc.resize(bgr, small, new Size(UltraFaceDetector.IN_W, UltraFaceDetector.IN_H), 0, 0, Imgproc.INTER_LINEAR);
        int plane = UltraFaceDetector.IN_W * UltraFaceDetector.IN_H;
        byte[] px = new byte[3 * plane];
        small.get(0, 0, px);
        small.release();
        float[] t = new float[3 * plane];
        for (int i = 0; i < plane; i++) {
            t[i] = ((px[3 * i + 2] & 0xff) - 127f) / 128f;
            t[plane + i] = ((px[3 * i + 1] & 0xff) - 127f) / 128f;
            t[2 * plane + i] = ((px[3 * i] & 0xff) - 127f) / 128f;
        }
        return t;
    }

    @Test
    void inputIsTheNormalisedRgbPlanesBitForBit() throws Exception {
        ImageDecoder decoder = new ImageDecoder();
        List<Path> photos = List.of(
                SharedData.require("lfw-dev/images").resolve("Aaron_Peirsol/Aaron_Peirsol_0001.jpg"),
                SharedData.require("lfw-dev/images").resolve("AJ_Cook/AJ_Cook_0001.jpg"),
                SharedData.require("face_recognition-examples/multi_face/obama_and_biden.jpg"));
        int bytes = 3 * UltraFaceDetector.IN_W * UltraFaceDetector.IN_H * Float.BYTES;
        for (Path p : photos) {
            try (DecodedImage img = decoder.decode(p.toString(), Files.readAllBytes(p))) {
                ByteBuffer buf = ByteBuffer.allocateDirect(bytes + 64).order(ByteOrder.nativeOrder());
                // a buffer reused from an earlier, different input: every float must be overwritten
                for (int i = 0; i < buf.capacity(); i++) {
                    buf.put(i, (byte) 0x7f);
                }
                ByteBuffer in = buf.duplicate().clear().limit(bytes).slice().order(ByteOrder.nativeOrder());
                UltraFaceDetector.toInput(img.bgr(), in);
                float[] expected = reference(img.bgr());
                FloatBuffer got = in.asFloatBuffer();
                assertThat(got.remaining()).isEqualTo(expected.length);
                int differ = 0;
                for (int i = 0; i < expected.length; i++) {
                    if (Float.floatToRawIntBits(got.get(i)) != Float.floatToRawIntBits(expected[i])) {
                        differ++;
                    }
                }
                assertThat(differ).as(p + ": floats that differ from (x - 127) / 128").isZero();
                assertThat(buf.get(bytes)).as("nothing written past the input").isEqualTo((byte) 0x7f);
            }
        }
    }
}
