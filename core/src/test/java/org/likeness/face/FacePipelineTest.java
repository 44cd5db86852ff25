package org.likeness.face;

import org.junit.jupiter.api.Test;
import org.likeness.Models;
import org.likeness.SharedData;
import org.likeness.image.DecodedImage;
import org.likeness.image.ImageDecoder;
import org.likeness.model.ModelCatalogue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FacePipelineTest {
    private final ImageDecoder decoder = new ImageDecoder();

    private List<Face> faces(Path p) throws Exception {
        try (DecodedImage img = decoder.decode(p.toString(), Files.readAllBytes(p))) {
            return Models.pipeline().faces(img.bgr());
        }
    }

    private Face one(String lfw) throws Exception {
        Path p = SharedData.require("lfw-dev/images").resolve(lfw);
        List<Face> fs = faces(p);
        assertThat(fs).as(lfw).isNotEmpty();
        return fs.stream().min((a, b) -> Float.compare(dist(a), dist(b))).orElseThrow();
    }

    private static float dist(Face f) {
        return (float) Math.hypot(f.box().cx() - 125, f.box().cy() - 125);
    }

    @Test
    void samePersonIsCloserThanStrangers() throws Exception {
        Face a1 = one("Aaron_Peirsol/Aaron_Peirsol_0001.jpg");
        Face a2 = one("Aaron_Peirsol/Aaron_Peirsol_0002.jpg");
        Face other = one("AJ_Cook/AJ_Cook_0001.jpg");
        float same = a1.embedding().similarity(a2.embedding());
        float diff = a1.embedding().similarity(other.embedding());
        float thr = MatchThreshold.forModel(Models.pipeline().embedderId());
        assertThat(same).isGreaterThan(thr);
        assertThat(diff).isLessThan(thr);
    }

    @Test
    void embeddingsAreUnitVectorsOfTheCatalogueDimension() throws Exception {
        Face f = one("Aaron_Peirsol/Aaron_Peirsol_0001.jpg");
        float[] v = f.embedding().vector();
        assertThat(v).hasSize(512);
        double n = 0;
        for (float x : v) {
            n += x * x;
        }
        assertThat(Math.sqrt(n)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
        assertThat(f.embedding().model()).startsWith(ModelCatalogue.ARCFACE512);
    }

    @Test
    void landmarksLieInsideTheFaceInTheExpectedOrder() throws Exception {
        Face f = one("Aaron_Peirsol/Aaron_Peirsol_0001.jpg");
        Landmarks l = f.landmarks();
        Box b = f.box();
        for (int i = 0; i < Landmarks.POINTS; i++) {
            assertThat(l.x(i)).isBetween(b.x() - 5, b.x() + b.w() + 5);
            assertThat(l.y(i)).isBetween(b.y() - 5, b.y() + b.h() + 5);
        }
        assertThat(l.x(0)).isLessThan(l.x(1));             // left eye left of right eye
        assertThat(l.y(2)).isGreaterThan(l.y(0));          // nose below the eyes
        assertThat(l.y(3)).isGreaterThan(l.y(2));          // mouth below the nose
        assertThat(f.quality().score()).isBetween(0f, 1f);
    }

    @Test
    void findsEveryFaceInGroupPhotos() throws Exception {
        Path two = SharedData.require("face_recognition-examples/multi_face/obama_and_biden.jpg");
        assertThat(faces(two)).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void tightGreyCropsAreFoundThanksToPadding() throws Exception {
        Path dir = SharedData.require("att-orl/images");
        Path first;
        try (var s = Files.walk(dir)) {
            first = s.filter(Files::isRegularFile).sorted().findFirst().orElseThrow();
        }
        assertThat(faces(first)).as(first.toString()).isNotEmpty();
    }

    @Test
    void aPictureWithoutFacesHasNone() throws Exception {
        try (DecodedImage img = decoder.decode("grey.png", org.likeness.image.TestImages.greyPng(320, 240))) {
            assertThat(Models.pipeline().faces(img.bgr())).isEmpty();
        }
    }

    @Test
    void alignerRecoversAKnownSimilarity() {
        // rotate the template by 20°, scale 2, shift: the estimated transform must map it back exactly
        double a = Math.toRadians(20), s = 2;
        float[] xy = new float[10];
        for (int i = 0; i < 5; i++) {
            double x = FaceAligner.TEMPLATE[2 * i], y = FaceAligner.TEMPLATE[2 * i + 1];
            xy[2 * i] = (float) (s * (Math.cos(a) * x - Math.sin(a) * y) + 30);
            xy[2 * i + 1] = (float) (s * (Math.sin(a) * x + Math.cos(a) * y) + 40);
        }
        double[] m = FaceAligner.similarity(new Landmarks(xy));
        for (int i = 0; i < 5; i++) {
            double x = m[0] * xy[2 * i] + m[1] * xy[2 * i + 1] + m[2];
            double y = m[3] * xy[2 * i] + m[4] * xy[2 * i + 1] + m[5];
            assertThat(x).isCloseTo(FaceAligner.TEMPLATE[2 * i], org.assertj.core.data.Offset.offset(1e-3));
            assertThat(y).isCloseTo(FaceAligner.TEMPLATE[2 * i + 1], org.assertj.core.data.Offset.offset(1e-3));
        }
    }
}
