package org.likeness.fingerprint;

import org.likeness.eval.MarketplaceCopy;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.likeness.SharedData;
import org.likeness.image.ImageFormat;
import org.likeness.image.NativeOpenCv;
import org.likeness.model.Sha256;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Release and trace on real lfw-dev photos. */
class FingerprintTest {
    private static final List<String> PHOTOS = List.of("Aaron_Peirsol/Aaron_Peirsol_0001.jpg", "AJ_Cook/AJ_Cook_0001.jpg",
            "Gonzalo_Barrientos/Gonzalo_Barrientos_0001.jpg", "Aaron_Peirsol/Aaron_Peirsol_0003.jpg");
    private static final List<String> RECIPIENTS = List.of("lab-a", "lab-b", "lab-c");
    private static final FingerprintKey KEY = FingerprintKey.of(bytes(1));
    private static final FingerprintKey OTHER_KEY = FingerprintKey.of(bytes(2));

    private final Fingerprinter fingerprinter = new Fingerprinter();
    private final FingerprintDetector detector = new FingerprintDetector();

    @BeforeAll
    static void loadOpenCv() {
        NativeOpenCv.load();
    }

    private static byte[] bytes(int v) {
        byte[] b = new byte[FingerprintKey.SECRET_BYTES];
        Arrays.fill(b, (byte) v);
        return b;
    }

    private static Path photo(String rel) {
        return SharedData.require("lfw-dev").resolve("images").resolve(rel);
    }

    private static Mat read(Path p) {
        Mat m = Imgcodecs.imread(p.toString(), Imgcodecs.IMREAD_COLOR);
        assertThat(m.empty()).as("%s decodes", p).isFalse();
        return m;
    }

    private Mat released(Mat original, FingerprintKey key, String recipient, String imageId) {
        Fingerprinter.Release r = fingerprinter.release(original, ImageFormat.JPEG, key, recipient, imageId);
        assertThat(r.file().format()).isEqualTo(ImageFormat.JPEG);
        return Imgcodecs.imdecode(new MatOfByte(r.file().bytes()), Imgcodecs.IMREAD_COLOR);
    }

    @Test
    void namesTheRightRecipientAfterJpeg70Resize075Crop5AndNobodyElse() throws IOException {
        for (int i = 0; i < PHOTOS.size(); i++) {
            Path p = photo(PHOTOS.get(i));
            String imageId = Sha256.of(Files.readAllBytes(p));
            Mat original = read(p);
            String truth = RECIPIENTS.get(i % RECIPIENTS.size());
            Mat copy = MarketplaceCopy.JPEG_70_RESIZE_0_75_CROP_5.apply(released(original, KEY, truth, imageId));
            Detection d = detector.detect(original, copy, KEY, imageId, RECIPIENTS);
            assertThat(d.outcome()).as(d.reason()).isEqualTo(Detection.Outcome.NAMED);
            assertThat(d.recipient()).isEqualTo(truth);
            assertThat(d.scoreOf(truth).pValue()).isLessThan(FingerprintDetector.FALSE_ACCUSATION_PER_IMAGE / RECIPIENTS.size());
            for (String other : RECIPIENTS) {
                if (!other.equals(truth)) {
                    assertThat(d.scoreOf(other).z()).as("%s on %s", other, p).isLessThan(d.threshold());
                }
            }
        }
    }

    @Test
    void unmarkedAndOtherKeyCopiesNameNobody() throws IOException {
        for (String rel : PHOTOS) {
            Path p = photo(rel);
            String imageId = Sha256.of(Files.readAllBytes(p));
            Mat original = read(p);
            Mat unmarked = MarketplaceCopy.JPEG_70_RESIZE_0_75_CROP_5.apply(original);
            Mat otherKey = MarketplaceCopy.JPEG_70_RESIZE_0_75_CROP_5.apply(released(original, OTHER_KEY, "lab-a", imageId));
            for (Mat suspect : List.of(unmarked, otherKey, original)) {
                Detection d = detector.detect(original, suspect, KEY, imageId, RECIPIENTS);
                assertThat(d.recipient()).as(d.reason()).isNull();
                assertThat(d.outcome()).isEqualTo(Detection.Outcome.NO_RECIPIENT);
                assertThat(d.scores()).hasSize(3).allSatisfy(s -> assertThat(s.z()).isLessThan(d.threshold()));
            }
        }
    }

    @Test
    void releasedFilesStayAbove42DbPsnr() {
        for (String rel : PHOTOS) {
            Mat original = read(photo(rel));
            Fingerprinter.Release r = fingerprinter.release(original, ImageFormat.JPEG, KEY, "lab-a", rel);
            Mat decoded = Imgcodecs.imdecode(new MatOfByte(r.file().bytes()), Imgcodecs.IMREAD_COLOR);
            assertThat(Visibility.psnr(original, decoded)).isGreaterThanOrEqualTo(Fingerprinter.MIN_RELEASE_PSNR).isEqualTo(r.psnr());
            assertThat(Visibility.ssim(original, decoded)).isGreaterThan(0.98);
        }
    }

    @Test
    void sameKeyRecipientAndImageGiveTheSameMark() {
        Mat original = read(photo(PHOTOS.get(0)));
        Mat a = fingerprinter.embed(original, KEY, "lab-a", "img-1");
        Mat b = fingerprinter.embed(original, FingerprintKey.of(bytes(1)), "lab-a", "img-1");
        assertThat(Core.norm(a, b, Core.NORM_INF)).isZero();
        assertThat(Core.norm(a, fingerprinter.embed(original, KEY, "lab-b", "img-1"), Core.NORM_INF)).isPositive();
        assertThat(Core.norm(a, fingerprinter.embed(original, KEY, "lab-a", "img-2"), Core.NORM_INF)).isPositive();
        assertThat(Core.norm(a, fingerprinter.embed(original, OTHER_KEY, "lab-a", "img-1"), Core.NORM_INF)).isPositive();
        assertThat(a.size()).isEqualTo(original.size());
        assertThat(a.type()).isEqualTo(CvType.CV_8UC3);
    }

    @Test
    void tinyOrUnrelatedInputsNameNobodyWithAReason() {
        Mat tiny = new Mat(20, 40, CvType.CV_8UC3, new Scalar(90, 120, 150));
        assertThatThrownBy(() -> fingerprinter.embed(tiny, KEY, "lab-a", "img"))
                .isInstanceOf(FingerprintException.class).hasMessageContaining("40×20").hasMessageContaining("too small");

        Mat original = read(photo(PHOTOS.get(0)));
        Detection unusable = detector.detect(tiny, original, KEY, "img", RECIPIENTS);
        assertThat(unusable.outcome()).isEqualTo(Detection.Outcome.UNUSABLE_ORIGINAL);
        assertThat(unusable.recipient()).isNull();

        Mat marked = released(original, KEY, "lab-a", "img");
        Detection tinySuspect = detector.detect(original, MarketplaceCopy.RESIZE_0_5.apply(tiny), KEY, "img", RECIPIENTS);
        assertThat(tinySuspect.outcome()).isEqualTo(Detection.Outcome.NOT_REGISTERED);
        assertThat(tinySuspect.reason()).contains("20×10");

        Mat unrelated = released(read(photo(PHOTOS.get(1))), KEY, "lab-a", "img");
        Detection other = detector.detect(original, unrelated, KEY, "img", RECIPIENTS);
        assertThat(other.recipient()).as(other.reason()).isNull();
        assertThat(other.outcome()).isEqualTo(Detection.Outcome.NOT_REGISTERED);
        assertThat(other.reason()).contains("does not align");

        Detection noCandidates = detector.detect(original, marked, KEY, "img", List.of());
        assertThat(noCandidates.recipient()).isNull();
        assertThat(noCandidates.scores()).isEmpty();
    }

    @Test
    void thresholdBoundsFalseAccusationsAtOneInAMillionPerImage() {
        for (int k : new int[] {1, 3, 100}) {
            double t = FingerprintDetector.threshold(k);
            assertThat(k * FingerprintDetector.pValueBound(t)).isCloseTo(1e-6, org.assertj.core.data.Percentage.withPercentage(1e-6));
        }
        assertThat(FingerprintDetector.threshold(3)).isCloseTo(5.46, org.assertj.core.data.Offset.offset(0.01));
        assertThat(FingerprintDetector.pValueBound(-1)).isEqualTo(1.0);
    }

    @Test
    void releaseKeepsTheFormatOrFallsBackToPng() {
        Mat original = read(photo(PHOTOS.get(0)));
        Mat marked = fingerprinter.embed(original, KEY, "lab-a", "img");
        Fingerprinter.EncodedRelease png = Fingerprinter.encodeRelease(marked, ImageFormat.PNG);
        assertThat(ImageFormat.sniff(png.bytes())).isEqualTo(ImageFormat.PNG);
        assertThat(Core.norm(marked, Imgcodecs.imdecode(new MatOfByte(png.bytes()), Imgcodecs.IMREAD_COLOR), Core.NORM_INF)).isZero();
        Fingerprinter.EncodedRelease fromBmp = Fingerprinter.encodeRelease(marked, ImageFormat.BMP);
        assertThat(fromBmp.format()).isEqualTo(ImageFormat.PNG);
        assertThat(fromBmp.extension()).isEqualTo(".png");
        assertThat(ImageFormat.sniff(Fingerprinter.encodeRelease(marked, ImageFormat.JPEG).bytes())).isEqualTo(ImageFormat.JPEG);
    }

    @Test
    void keyIdIsDerivedAndTheSecretNeverPrinted() {
        FingerprintKey k = FingerprintKey.of(bytes(1));
        assertThat(k.id()).hasSize(16).matches("[0-9a-f]+");
        assertThat(k).isEqualTo(KEY).isNotEqualTo(OTHER_KEY);
        assertThat(k.toString()).contains(k.id()).doesNotContain("0101");
        assertThatThrownBy(() -> new FingerprintKey("0000000000000000", bytes(1))).hasMessageContaining("does not match");
        assertThatThrownBy(() -> FingerprintKey.of(new byte[16])).hasMessageContaining("32 bytes");
        byte[] s = k.secret();
        s[0] = 9;
        assertThat(k.secret()[0]).isEqualTo((byte) 1);
    }
}
