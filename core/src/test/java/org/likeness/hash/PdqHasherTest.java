package org.likeness.hash;

import org.likeness.SharedData;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

class PdqHasherTest {

    /**
     * At 64×64 the reference skips filtering, so a dihedral variant must equal the hash of the transformed image up
     * to float summation order (a coefficient right at the median may flip).
     */
    static final int MAX_DIHEDRAL_NOISE_64 = 2;
    /**
     * At full size the reference's box filter and decimation are not mirror-symmetric (an even window averages
     * forward, cells are sampled off-centre), so the variant and the transformed image's hash differ by resampling
     * noise: measured 0-34 bits on these photos (2026-11-26), against ~128 for unrelated images.
     */
    static final int MAX_DIHEDRAL_NOISE_FULL = 48;

    @BeforeAll
    static void loadOpenCv() {
        nu.pattern.OpenCV.loadLocally();
    }

    @Test
    void rgbGreyAndMatEntryPointsAgree() {
        Path png = SharedData.require("pdq").resolve("lfw-png/AJ_Cook_0001.png");
        Mat bgr = Imgcodecs.imread(png.toString(), Imgcodecs.IMREAD_COLOR);
        Mat rgb = new Mat();
        Imgproc.cvtColor(bgr, rgb, Imgproc.COLOR_BGR2RGB);
        byte[] data = new byte[(int) rgb.total() * 3];
        rgb.get(0, 0, data);
        PdqHasher hasher = new PdqHasher();
        PdqResult fromMat = hasher.hash(bgr);
        assertThat(hasher.hashRgb(data, rgb.cols(), rgb.rows())).isEqualTo(fromMat);
        assertThat(hasher.dihedralRgb(data, rgb.cols(), rgb.rows()).get(0)).isEqualTo(fromMat.hash());
        float[] luma = new float[(int) rgb.total()];
        for (int i = 0; i < luma.length; i++) {
            luma[i] = PdqHasher.LUMA_R * (data[3 * i] & 0xff) + PdqHasher.LUMA_G * (data[3 * i + 1] & 0xff)
                    + PdqHasher.LUMA_B * (data[3 * i + 2] & 0xff);
        }
        assertThat(hasher.hashLuma(luma, rgb.cols(), rgb.rows())).isEqualTo(fromMat);
        assertThat(fromMat.quality()).isEqualTo(100);
        assertThat(fromMat.hash().bitCount()).isEqualTo(128);
    }

    @Test
    void dihedralVariantsPredictHashesOfTransformedImages() {
        Path dir = SharedData.require("pdq").resolve("lfw-png");
        PdqHasher hasher = new PdqHasher();
        for (String name : List.of("Aaron_Sorkin_0001.png", "Adam_Sandler_0001.png", "Ahmed_Chalabi_0001.png")) {
            Mat full = Imgcodecs.imread(dir.resolve(name).toString(), Imgcodecs.IMREAD_COLOR);
            Mat small = new Mat();
            Imgproc.resize(full, small, new Size(64, 64), 0, 0, Imgproc.INTER_AREA);
            checkDihedrals(hasher, full, name, MAX_DIHEDRAL_NOISE_FULL);
            checkDihedrals(hasher, small, name + "@64", MAX_DIHEDRAL_NOISE_64);
        }
    }

    private static void checkDihedrals(PdqHasher hasher, Mat image, String name, int bound) {
        List<PdqHash> variants = hasher.dihedral(image);
        assertThat(variants).hasSize(8);
        assertThat(variants.get(0)).isEqualTo(hasher.hash(image).hash());
        assertClose(hasher, bound, variants.get(PdqDihedral.ROTATE_90.ordinal()), rotate(image, Core.ROTATE_90_COUNTERCLOCKWISE), name);
        assertClose(hasher, bound, variants.get(PdqDihedral.ROTATE_180.ordinal()), rotate(image, Core.ROTATE_180), name);
        assertClose(hasher, bound, variants.get(PdqDihedral.ROTATE_270.ordinal()), rotate(image, Core.ROTATE_90_CLOCKWISE), name);
        assertClose(hasher, bound, variants.get(PdqDihedral.FLIP_X.ordinal()), flip(image, 0), name);
        assertClose(hasher, bound, variants.get(PdqDihedral.FLIP_Y.ordinal()), flip(image, 1), name);
        Mat transposed = new Mat();
        Core.transpose(image, transposed);
        assertClose(hasher, bound, variants.get(PdqDihedral.FLIP_PLUS_1.ordinal()), transposed, name);
        Mat antiTransposed = new Mat();
        Core.transpose(rotate(image, Core.ROTATE_180), antiTransposed);
        assertClose(hasher, bound, variants.get(PdqDihedral.FLIP_MINUS_1.ordinal()), antiTransposed, name);
        // and an unrelated variant is far away
        assertThat(variants.get(PdqDihedral.ROTATE_90.ordinal()).distance(variants.get(0))).isGreaterThan(64);
    }

    private static void assertClose(PdqHasher hasher, int bound, PdqHash predicted, Mat transformed, String name) {
        assertThat(hasher.hash(transformed).hash().distance(predicted)).as(name).isLessThanOrEqualTo(bound);
    }

    private static Mat rotate(Mat m, int code) {
        Mat out = new Mat();
        Core.rotate(m, out, code);
        return out;
    }

    private static Mat flip(Mat m, int code) {
        Mat out = new Mat();
        Core.flip(m, out, code);
        return out;
    }

    @Test
    void tinyImagesHashToZeroWithQualityZero() {
        PdqResult r = new PdqHasher().hashGrey(new byte[16], 4, 4);
        assertThat(r.quality()).isZero();
        assertThat(r.hash().bitCount()).isZero();
    }

    @Test
    void wrongBufferSizesAreRejectedWithTheReason() {
        PdqHasher hasher = new PdqHasher();
        assertThatThrownBy(() -> hasher.hashRgb(new byte[10], 2, 2)).hasMessageContaining("2×2").hasMessageContaining("12");
        assertThatThrownBy(() -> hasher.hash(new Mat())).hasMessageContaining("empty");
    }
}
