package org.likeness.fingerprint;

import org.likeness.eval.MarketplaceCopy;

import org.likeness.image.NativeOpenCv;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Development aid, the measurement behind {@link Registration#MIN_CORRELATION}: alignment correlation of the hardest
 * marketplace copy of a photo, and of another photo of the same person (which must not align). Args: images-root people.
 */
final class RegistrationCheck {
    public static void main(String[] args) throws Exception {
        NativeOpenCv.load();
        List<Path> people;
        try (Stream<Path> s = Files.list(Path.of(args[0]))) {
            people = s.sorted().toList();
        }
        FingerprintDetector d = new FingerprintDetector();
        double minCopy = 1, maxOther = -1;
        int copies = 0, others = 0, limit = Integer.parseInt(args[1]);
        for (Path person : people) {
            List<Path> photos;
            try (Stream<Path> s = Files.list(person)) {
                photos = s.sorted().toList();
            }
            if (photos.size() < 2) {
                continue;
            }
            Mat a = Imgcodecs.imread(photos.get(0).toString()), b = Imgcodecs.imread(photos.get(1).toString());
            minCopy = Math.min(minCopy, d.measure(a, MarketplaceCopy.JPEG_50_RESIZE_0_5_CROP_5_CORNER.apply(a)).correlation());
            maxOther = Math.max(maxOther, d.measure(a, b).correlation());
            maxOther = Math.max(maxOther, d.measure(a, MarketplaceCopy.JPEG_50_RESIZE_0_5_CROP_5_CORNER.apply(b)).correlation());
            copies++;
            others += 2;
            if (copies == limit) {
                break;
            }
        }
        System.out.printf("people %d: hardest copy (jpeg 50 + 0.5× + crop corner) min correlation %.4f; other photo of the same person (as is, and as that copy) max correlation %.4f over %d%n",
                copies, minCopy, maxOther, others);
    }
}
