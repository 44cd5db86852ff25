package org.likeness.eval;

import org.likeness.fingerprint.Detection;
import org.likeness.fingerprint.FingerprintDetector;
import org.likeness.fingerprint.FingerprintKey;
import org.likeness.fingerprint.Fingerprinter;
import org.likeness.fingerprint.Visibility;

import org.likeness.image.ImageFormat;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

import java.util.ArrayList;
import java.util.List;

/**
 * The fingerprint measurement for one photo: release it to one of K recipients as {@code release} would (embed, then encode in
 * the original's format), make every {@link MarketplaceCopy} of it, and trace each copy against all K candidates; do the
 * same with an unmarked copy and with a copy marked under another key, which must name nobody. Every statistic of a
 * candidate whose mark is absent is kept, for checking the null distribution's tail; decoy recipients (never released
 * to) add more such statistics from the same residuals at no alignment cost. Thread-safe.
 */
public final class FingerprintRobustness {
    private final Fingerprinter fingerprinter;
    private final FingerprintDetector detector;
    private final FingerprintKey key, otherKey;
    private final List<String> recipients, decoys;

    /**
     * One copy's outcome.
     *
     * @param outcome       the detection on the marked copy
     * @param right         the true recipient was named
     * @param wrong         someone else was named on the marked copy, or anyone on the unmarked or other-key copy
     * @param trueZ         the true recipient's statistic on the marked copy
     * @param nullZ         statistics of candidates whose mark is absent (wrong recipients, unmarked and other-key
     *                      copies, decoys), from residuals that are not all zeros
     * @param exactCopies   unmarked copies whose residual was all zeros (the copy is the original or an exact crop of
     *                      it; every z is 0 there and none is counted in {@code nullZ})
     */
    public record CopyResult(MarketplaceCopy copy, Detection.Outcome outcome, boolean right, boolean wrong, double trueZ, float[] nullZ,
                             int exactCopies) {
    }

    /** One photo: visibility of the released file (and of the mark alone, before encoding), the strength the release needed, every copy's result. */
    public record ImageResult(double psnr, double ssim, double markPsnr, double strength, List<CopyResult> copies) {
    }

    public FingerprintRobustness(FingerprintKey key, FingerprintKey otherKey, int recipients, int decoys) {
        this(new Fingerprinter(), new FingerprintDetector(), key, otherKey, recipients, decoys);
    }

    public FingerprintRobustness(Fingerprinter fingerprinter, FingerprintDetector detector, FingerprintKey key, FingerprintKey otherKey,
                          int recipients, int decoys) {
        this.fingerprinter = fingerprinter;
        this.detector = detector;
        this.key = key;
        this.otherKey = otherKey;
        this.recipients = names("recipient-", recipients);
        this.decoys = names("decoy-", decoys);
    }

    private static List<String> names(String prefix, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(prefix + i);
        }
        return out;
    }

    /** Releases photo {@code index} (to recipient {@code index mod K}) and traces every copy. */
    public ImageResult measure(Mat original, ImageFormat format, String imageId, int index) {
        String truth = recipients.get(index % recipients.size());
        Mat marked = fingerprinter.embed(original, key, truth, imageId);
        Fingerprinter.Release release = fingerprinter.release(original, format, key, truth, imageId);
        Mat released = decode(release.file().bytes());
        Mat otherMarked = fingerprinter.embed(original, otherKey, truth, imageId);
        Mat otherReleased = decode(fingerprinter.release(original, format, otherKey, truth, imageId).file().bytes());
        double psnr = Visibility.psnr(original, released), ssim = Visibility.ssim(original, released);
        double markPsnr = Visibility.psnr(original, marked);
        List<CopyResult> copies = new ArrayList<>();
        for (MarketplaceCopy c : MarketplaceCopy.values()) {
            copies.add(copy(c, original, released, otherReleased, imageId, truth));
        }
        for (Mat m : new Mat[] {marked, released, otherMarked, otherReleased}) {
            m.release();
        }
        return new ImageResult(psnr, ssim, markPsnr, release.strength(), copies);
    }

    private CopyResult copy(MarketplaceCopy c, Mat original, Mat released, Mat otherReleased, String imageId, String truth) {
        List<Float> nulls = new ArrayList<>();
        int exactCopies = 0;
        Mat suspect = c.apply(released);
        FingerprintDetector.Evidence marked = detector.measure(original, suspect);
        Detection d = marked.decide(key, imageId, recipients);
        boolean right = truth.equals(d.recipient());
        boolean wrong = d.recipient() != null && !right;
        double trueZ = marked.z(key, truth, imageId);
        for (String r : recipients) {
            if (!r.equals(truth)) {
                nulls.add((float) marked.z(key, r, imageId));
            }
        }
        addDecoys(marked, imageId, nulls);
        for (Mat source : new Mat[] {original, otherReleased}) {
            Mat s = c.apply(source);
            FingerprintDetector.Evidence e = detector.measure(original, s);
            wrong |= e.decide(key, imageId, recipients).recipient() != null;
            if (!e.informative()) {
                exactCopies++;
            }
            for (String r : e.informative() ? recipients : List.<String>of()) {
                nulls.add((float) e.z(key, r, imageId));
            }
            addDecoys(e, imageId, nulls);
            s.release();
        }
        suspect.release();
        float[] z = new float[nulls.size()];
        for (int i = 0; i < z.length; i++) {
            z[i] = nulls.get(i);
        }
        return new CopyResult(c, d.outcome(), right, wrong, trueZ, z, exactCopies);
    }

    private void addDecoys(FingerprintDetector.Evidence e, String imageId, List<Float> nulls) {
        if (!e.informative()) {
            return;
        }
        for (String r : decoys) {
            nulls.add((float) e.z(key, r, imageId));
        }
    }

    private static Mat decode(byte[] bytes) {
        MatOfByte buf = new MatOfByte(bytes);
        Mat m = Imgcodecs.imdecode(buf, Imgcodecs.IMREAD_COLOR);
        buf.release();
        return m;
    }
}
