package org.likeness.eval;

import org.likeness.fingerprint.Detection;
import org.likeness.fingerprint.FingerprintDetector;
import org.likeness.fingerprint.FingerprintKey;
import org.likeness.fingerprint.Fingerprinter;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.likeness.SharedData;
import org.likeness.image.ImageFormat;
import org.likeness.image.NativeOpenCv;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every leaker copy (orientations, rotation, scale, large off-centre crops, screenshots, re-encode chains) of a real
 * released photo names its recipient among ten and nobody else, and the same copy of the unmarked original names nobody.
 * SCALE_0_25 is left out: at a quarter of LFW's 250 px the mark is not always readable (docs/BENCHMARKS.md).
 */
class LeakerCopyTest {
    private static final List<String> RECIPIENTS = new ArrayList<>();
    private static final FingerprintKey KEY;

    static {
        for (int i = 0; i < 10; i++) {
            RECIPIENTS.add("r" + i);
        }
        byte[] b = new byte[FingerprintKey.SECRET_BYTES];
        Arrays.fill(b, (byte) 7);
        KEY = FingerprintKey.of(b);
    }

    @BeforeAll
    static void loadOpenCv() {
        NativeOpenCv.load();
    }

    @Test
    void everyLeakerCopyNamesItsRecipientAndOnlyIt() {
        Mat original = Imgcodecs.imread(SharedData.require("lfw-dev").resolve("images/AJ_Cook/AJ_Cook_0001.jpg").toString());
        Fingerprinter.Release r = new Fingerprinter().release(original, ImageFormat.JPEG, KEY, "r3", "aj-cook-1");
        Mat released = Imgcodecs.imdecode(new MatOfByte(r.file().bytes()), Imgcodecs.IMREAD_COLOR);
        FingerprintDetector detector = new FingerprintDetector();
        for (LeakerCopy c : LeakerCopy.values()) {
            if (c == LeakerCopy.SCALE_0_25) {
                continue;
            }
            Detection d = detector.detect(original, c.apply(released), KEY, "aj-cook-1", RECIPIENTS);
            assertThat(d.recipient()).as("%s: %s", c, d.reason()).isEqualTo("r3");
            Detection unmarked = detector.detect(original, c.apply(original), KEY, "aj-cook-1", RECIPIENTS);
            assertThat(unmarked.recipient()).as("%s of the unmarked original: %s", c, unmarked.reason()).isNull();
        }
    }

    @Test
    void anotherPhotoOfTheSamePersonDoesNotRegister() {
        Mat a = Imgcodecs.imread(SharedData.require("lfw-dev").resolve("images/Aaron_Peirsol/Aaron_Peirsol_0001.jpg").toString());
        Mat b = Imgcodecs.imread(SharedData.require("lfw-dev").resolve("images/Aaron_Peirsol/Aaron_Peirsol_0003.jpg").toString());
        Detection d = new FingerprintDetector().detect(a, b, KEY, "x", RECIPIENTS);
        assertThat(d.recipient()).isNull();
        assertThat(d.correlation()).as("the wider search must not make another photo look like a copy").isLessThan(0.96);
    }
}
