package org.likeness.image;

import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;

/** Small generated images for tests that need a picture with known content and no face. */
public final class TestImages {
    private TestImages() {
    }

    public static byte[] greyPng(int w, int h) {
        NativeOpenCv.load();
        Mat m = new Mat(h, w, CvType.CV_8UC3, new Scalar(128, 128, 128));
        try {
            return ImageDecoderTest.encode(".png", m);
        } finally {
            m.release();
        }
    }
}
