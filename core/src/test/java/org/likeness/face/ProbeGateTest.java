package org.likeness.face;

import org.junit.jupiter.api.Test;
import org.likeness.Models;
import org.likeness.SharedData;
import org.likeness.image.DecodedImage;
import org.likeness.image.ImageDecoder;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The probe quality gate on real lfw-dev faces: a good photo passes, the same face shrunk into a corner does not. */
class ProbeGateTest {
    private static Face centred(List<Face> fs, int w, int h) {
        assertThat(fs).isNotEmpty();
        return fs.stream().min((a, b) -> Double.compare(Math.hypot(a.box().cx() - w / 2.0, a.box().cy() - h / 2.0),
                Math.hypot(b.box().cx() - w / 2.0, b.box().cy() - h / 2.0))).orElseThrow();
    }

    @Test
    void aGoodFacePassesAndTheSameFaceTooSmallIsNotAssessable() throws Exception {
        Path p = SharedData.require("lfw-dev/images").resolve("Colin_Powell/Colin_Powell_0001.jpg");
        try (DecodedImage img = new ImageDecoder().decode(p.toString(), Files.readAllBytes(p))) {
            Face good = centred(Models.pipeline().faces(img.bgr()), 250, 250);
            assertThat(ProbeGate.DEFAULT.reject(good)).as("%s", good.quality()).isEmpty();
            assertThat(Math.abs(ProbeGate.yaw(good.landmarks()))).as("a nearly frontal LFW face").isLessThan(0.25f);

            // the same photo at 40 % of its size, in the middle of a grey 250×250 canvas: still found, eyes ~ 17 px apart
            Mat small = new Mat();
            Imgproc.resize(img.bgr(), small, new Size(100, 100), 0, 0, Imgproc.INTER_AREA);
            Mat canvas = new Mat(250, 250, img.bgr().type(), new Scalar(128, 128, 128));
            small.copyTo(canvas.submat(new Rect(75, 75, 100, 100)));
            Face tiny = centred(Models.pipeline().faces(canvas), 250, 250);
            assertThat(tiny.quality().eyePixels()).isLessThan(FaceQuality.GOOD_EYE_DISTANCE_PX);
            assertThat(ProbeGate.DEFAULT.reject(tiny)).hasValueSatisfying(r -> assertThat(r).startsWith("too small"));
            assertThat(ProbeGate.NONE.passes(tiny)).isTrue();
        }
    }

    @Test
    void yawGrowsAsTheNoseMovesAlongTheEyeLine() {
        Landmarks frontal = new Landmarks(new float[]{40, 50, 80, 50, 60, 70, 45, 90, 75, 90});
        Landmarks turned = new Landmarks(new float[]{40, 50, 80, 50, 76, 70, 45, 90, 75, 90});
        assertThat(ProbeGate.yaw(frontal)).isEqualTo(0f);
        assertThat(ProbeGate.yaw(turned)).isEqualTo(0.4f);
        ProbeGate pose = new ProbeGate(0, 0, 0.3f, 0);
        Face f = new Face(new Box(30, 30, 60, 70), 0.99f, turned, FaceQuality.of(0.99f, 40, 500),
                new Embedding("fr-feature-512", new float[]{1, 0}));
        assertThat(pose.reject(f)).hasValueSatisfying(r -> assertThat(r).startsWith("turned away"));
    }
}
