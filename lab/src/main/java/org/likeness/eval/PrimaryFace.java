package org.likeness.eval;

import org.likeness.face.Box;
import org.likeness.face.Detection;
import org.likeness.face.Face;
import org.likeness.face.FaceDetector;
import org.likeness.image.DecodedImage;
import org.likeness.image.ImageDecoder;
import org.likeness.scan.ScanRecord;
import org.opencv.core.Mat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The face a labelled photo is about: LFW and similar sets centre the named person, so among faces at least
 * {@link #MIN_AREA_FRACTION} the size of the largest, the one nearest the image centre.
 */
public final class PrimaryFace {
    /** Bystanders in LFW are smaller or off-centre; a quarter of the largest face's area keeps the named person in view. */
    static final float MIN_AREA_FRACTION = 0.25f;

    private PrimaryFace() {
    }

    public static Optional<Face> of(ScanRecord r) {
        int i = index(r.faces().stream().map(Face::box).toList(), r.width(), r.height());
        return i < 0 ? Optional.empty() : Optional.of(r.faces().get(i));
    }

    /** Index of the primary box in an image of the given size, or -1 when there is none. */
    public static int index(List<Box> boxes, int width, int height) {
        float maxArea = 0;
        for (Box b : boxes) {
            maxArea = Math.max(maxArea, b.area());
        }
        int best = -1;
        double bestD = Double.MAX_VALUE;
        for (int i = 0; i < boxes.size(); i++) {
            Box b = boxes.get(i);
            if (b.area() < MIN_AREA_FRACTION * maxArea) {
                continue;
            }
            double d = Math.hypot(b.cx() - width / 2.0, b.cy() - height / 2.0);
            if (d < bestD) {
                bestD = d;
                best = i;
            }
        }
        return best;
    }

    /** What to do with a photo's primary face: its picture (BGR) and the detector's box. */
    public interface Use<T> {
        T apply(Mat bgr, Box box) throws Exception;
    }

    /** Reads and decodes a photo, detects its faces and hands its primary face to {@code use}; null when it has none. */
    public static <T> T read(Path file, ImageDecoder decoder, FaceDetector detector, Use<T> use) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        try (DecodedImage img = decoder.decode(file.toString(), bytes)) {
            List<Detection> dets = detector.detect(img.bgr());
            int i = index(dets.stream().map(Detection::box).toList(), img.width(), img.height());
            return i < 0 ? null : use.apply(img.bgr(), dets.get(i).box());
        }
    }
}
