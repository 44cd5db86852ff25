package org.likeness.face;

import org.likeness.model.ModelCatalogue;
import org.likeness.model.ModelDescriptor;
import org.likeness.model.ModelStore;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfDouble;
import org.opencv.imgproc.Imgproc;

import java.util.ArrayList;
import java.util.List;

/**
 * detect → 68 landmarks → five points → align → embed, for every face of an image. Thread-safe: the ONNX sessions
 * are shared and each call works on its own buffers. Owns its models.
 */
public final class FacePipeline implements AutoCloseable {
    private final FaceDetector detector;
    private final LandmarkModel landmarks;
    private final FaceEmbedder embedder;
    private final Options options;

    /**
     * @param flipTta      embed the mirror image too (see docs/BENCHMARKS.md for its measured gain)
     * @param refine       run the landmark model a second time on a box fitted to the first pass's points
     * @param intraThreads ONNX Runtime threads per call (1 when the caller runs one pipeline call per core)
     */
    public record Options(String detector, boolean flipTta, boolean refine, int intraThreads) {
        /**
         * The defaults chosen by the lfw-dev bake-off recorded in docs/BENCHMARKS.md: UltraFace, one landmark pass,
         * no flip. Flip and a second landmark pass gave no accuracy gain on pairsDevTrain (99.55 % vs 99.59 %) for
         * 1.6× the compute; they raise TAR at FMR 1e-4 by 0.4 points and stay available as options.
         */
        public static Options defaults(int intraThreads) {
            return new Options(ModelCatalogue.ULTRAFACE, false, false, intraThreads);
        }
    }

    public FacePipeline(FaceDetector detector, LandmarkModel landmarks, FaceEmbedder embedder, Options options) {
        this.detector = detector;
        this.landmarks = landmarks;
        this.embedder = embedder;
        this.options = options;
    }

    /** The default catalogue models from the local store. */
    public static FacePipeline open(ModelStore store, Options options) {
        return open(store, options, null);
    }

    /** @param customEmbedder a user's embedder (see {@link ModelDescriptor}), or null for the catalogue's */
    public static FacePipeline open(ModelStore store, Options options, ModelDescriptor customEmbedder) {
        FaceDetector det = detector(store, options.detector(), options.intraThreads());
        LandmarkModel lm = new LandmarkModel(store.require(ModelCatalogue.LANDMARK68), options.intraThreads());
        FaceEmbedder emb = customEmbedder == null
                ? new FaceEmbedder(store.require(ModelCatalogue.ARCFACE512), options.intraThreads(), options.flipTta())
                : new FaceEmbedder(new EmbedderSpec(customEmbedder.id(), customEmbedder.size(), customEmbedder.nchw(),
                customEmbedder.rgb(), customEmbedder.mean(), customEmbedder.std()), customEmbedder.onnx(),
                options.intraThreads(), options.flipTta());
        return new FacePipeline(det, lm, emb, options);
    }

    /**
     * A catalogue detector by id (ultraface-rfb320, blazeface-front-128, blazeface-back-256), or a user's ONNX
     * detector given as a path ending in .onnx with a descriptor beside it ({@link ModelDescriptor}).
     */
    public static FaceDetector detector(ModelStore store, String id, int intraThreads) {
        if (id.endsWith(".onnx")) {
            ModelDescriptor d = ModelDescriptor.read(java.nio.file.Path.of(id));
            return switch (d.family()) {
                case "yunet" -> new YuNetDetector(d.id(), d.onnx(), intraThreads);
                case "ultraface" -> new UltraFaceDetector(d.id(), d.onnx(), intraThreads);
                case "blazeface-128" -> new BlazeFaceDetector(d.id(), d.onnx(), 128, intraThreads);
                case "blazeface-256" -> new BlazeFaceDetector(d.id(), d.onnx(), 256, intraThreads);
                default -> throw new IllegalArgumentException(id + ": family '" + d.family() + "' is an embedder, not a detector");
            };
        }
        return switch (id) {
            case ModelCatalogue.ULTRAFACE -> new UltraFaceDetector(id, store.require(id), intraThreads);
            case ModelCatalogue.BLAZEFACE_FRONT -> new BlazeFaceDetector(id, store.require(id), 128, intraThreads);
            case ModelCatalogue.BLAZEFACE_BACK -> new BlazeFaceDetector(id, store.require(id), 256, intraThreads);
            default -> throw new IllegalArgumentException("unknown detector '" + id + "': choose " + ModelCatalogue.ULTRAFACE
                    + ", " + ModelCatalogue.BLAZEFACE_FRONT + " or " + ModelCatalogue.BLAZEFACE_BACK);
        };
    }

    public String detectorId() {
        return detector.modelId();
    }

    /**
     * The landmark model's id, with {@code +turns} when faces lying on their side are read at the quarter turns: a
     * scan made without that check (an older build) then differs in its header and is never reused for one made with it.
     */
    public String landmarksId() {
        return landmarks.modelId() + (checksOrientation(null) ? "+turns" : "");
    }

    public String embedderId() {
        return embedder.modelId();
    }

    FaceDetector detector() {
        return detector;
    }

    /**
     * Every face in the image, in decreasing detector score. When the upright image shows none, the three quarter turns
     * are searched (a photo stored on its side) and the faces of the turn read best are mapped back.
     */
    public List<Face> faces(Mat bgr) {
        return faces(List.of(bgr)).get(0);
    }

    /**
     * The faces of several images, each list as {@link #faces(Mat)} gives it for its image. The models run kind by
     * kind over the images (every detection, then every face's landmarks, then every embedding) rather than image by
     * image: a model called again straight after itself finds its weights still in the core's cache (docs/BENCHMARKS.md,
     * "Scan CPU, second pass"). The models are deterministic, so the faces are the same whatever the grouping.
     */
    public List<List<Face>> faces(List<Mat> images) {
        int n = images.size();
        List<List<Detection>> found = new ArrayList<>(n);
        for (Mat bgr : images) {
            found.add(detector.detect(bgr));
        }
        List<List<Landmarks>> fives = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            List<Landmarks> l = new ArrayList<>();
            for (Detection d : found.get(i)) {
                l.add(d.landmarks() != null ? d.landmarks() : LandmarkModel.toFive(points68(images.get(i), d.box())));
            }
            fives.add(l);
        }
        List<Reading[]> readings = new ArrayList<>(n);
        try {
            for (int i = 0; i < n; i++) {
                Reading[] r = new Reading[found.get(i).size()];
                readings.add(r);
                for (int k = 0; k < r.length; k++) {
                    r[k] = read(images.get(i), fives.get(i).get(k));
                }
            }
            List<List<Face>> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(finish(images.get(i), found.get(i), fives.get(i), readings.get(i)));
            }
            return out;
        } finally {
            for (Reading[] r : readings) {
                for (Reading x : r) {
                    if (x != null) {
                        x.release();
                    }
                }
            }
        }
    }

    /** One image's faces from its detections, landmarks and upright readings (each reading taken: set to null). */
    private List<Face> finish(Mat bgr, List<Detection> found, List<Landmarks> fives, Reading[] readings) {
        try (TurnedCopies copies = new TurnedCopies(bgr, detector)) {
            List<Face> faces = new ArrayList<>();
            for (int k = 0; k < found.size(); k++) {
                Reading r = readings[k];
                readings[k] = null;
                faces.add(describe(bgr, found.get(k), true, copies, fives.get(k), r).face());
            }
            if (found.isEmpty() && checksOrientation(null)) {
                float bestNorm = 0;
                for (int turn : TURNS) {
                    Mat rot = copies.image(turn);
                    List<Face> turned = new ArrayList<>();
                    float norm = 0;
                    for (Detection d : copies.detections(turn)) {
                        Described x = describe(rot, d, false, null);
                        norm = Math.max(norm, x.rawNorm());
                        Face f = x.face();
                        turned.add(new Face(Turn.boxBack(f.box(), turn, bgr.cols(), bgr.rows()), f.score(),
                                new Landmarks(Turn.pointsBack(f.landmarks().xy(), turn, bgr.cols(), bgr.rows())), f.quality(),
                                f.embedding()));
                    }
                    if (norm > bestNorm) {
                        bestNorm = norm;
                        faces = turned;
                    }
                }
            }
            return faces;
        }
    }

    private boolean checksOrientation(Landmarks fromDetector) {
        return fromDetector == null && ModelCatalogue.ARCFACE512.equals(embedder.modelId());
    }

    /**
     * Below this raw embedding length (fr_feature), a face may be lying on its side or upside down and the other three
     * quarter turns are tried. On the tuning half of lfw-dev (persons A-L, 316 photos) upright main faces measured
     * 2.24-4.84 (median 3.62), the same faces quarter-turned median 1.79, 95th percentile 2.40 (docs/BENCHMARKS.md,
     * "Rotated faces"): 2 of 316 upright faces pay for the check.
     */
    static final float ORIENTATION_CHECK_BELOW = 2.6f;
    /**
     * A quarter turn replaces the upright reading only when its raw length is this much longer: on the same photos no
     * upright face was turned, and about 98 % of turned faces were read upright again.
     */
    static final float ORIENTATION_WIN_RATIO = 1.25f;
    /**
     * The most eye distance a face has had per pixel of its upright detection box's longer side, in any reading: on
     * the tuning half of lfw-dev (300 photos, each at the four quarter turns; {@code OrientationGateProbe}) 0.13-0.643
     * (median 0.35) for the 830 faces read in a turned copy, 0.09-0.46 for upright faces (1,178 faces of the first
     * 1,000 photos). Rounded up from 0.643.
     */
    static final float MAX_EYES_PER_BOX_SIDE = 0.65f;
    /**
     * A face whose upright box's longer side is below this (46 px) is not checked for orientation: whichever way it is
     * read, its eyes are closer than the default probe gate's {@link ProbeGate#DEFAULT} minimum (30 px), so the audit
     * sets it aside as "not assessable" (too small) anyway, and the check's three detector runs and turned readings
     * buy nothing for it. Not the upright reading's own eye distance: the landmark model's guess on a face lying on its
     * side puts the eyes 0.12-2.1× (median 0.68×) as far apart as the right reading does, and half of the quarter-turned
     * faces of the same photos would have been skipped by it (docs/DECISIONS.md, "Rotated faces").
     */
    static final float ORIENTATION_MIN_BOX_PX = ProbeGate.DEFAULT.minEyePixels() / MAX_EYES_PER_BOX_SIDE;
    /** Least overlap (IoU) of a detection in the turned image with the upright detection for them to be the same face. */
    static final float MIN_TURNED_OVERLAP = 0.3f;
    /** Quarter turns tried, as OpenCV rotate codes: 90 clockwise, 180, 90 counter-clockwise. */
    private static final int[] TURNS = {Core.ROTATE_90_CLOCKWISE, Core.ROTATE_180, Core.ROTATE_90_COUNTERCLOCKWISE};

    /** Landmarks, alignment, quality and embedding for one detection (a face on its side is read the right way up). */
    public Face describe(Mat bgr, Detection d) {
        return describe(bgr, d, true).face();
    }

    Described describe(Mat bgr, Detection d, boolean turns) {
        try (TurnedCopies copies = turns ? new TurnedCopies(bgr, detector) : null) {
            return describe(bgr, d, turns, copies);
        }
    }

    record Described(Face face, float rawNorm) {
    }

    /** @param copies the image's turned copies (shared by its faces); null when {@code turns} is false */
    private Described describe(Mat bgr, Detection d, boolean turns, TurnedCopies copies) {
        Landmarks five = d.landmarks() != null ? d.landmarks() : LandmarkModel.toFive(points68(bgr, d.box()));
        return describe(bgr, d, turns, copies, five, read(bgr, five));
    }

    /**
     * @param five  the face's five points upright: the detector's, or the landmark model's on its box
     * @param upright the reading at those points, released here
     */
    private Described describe(Mat bgr, Detection d, boolean turns, TurnedCopies copies, Landmarks five, Reading upright) {
        Box box = d.box();
        boolean checkOrientation = turns && checksOrientation(d.landmarks());
        Reading best = upright;
        float uprightNorm = best.measured.rawNorm();
        if (checkOrientation && uprightNorm < ORIENTATION_CHECK_BELOW && Math.max(box.w(), box.h()) >= ORIENTATION_MIN_BOX_PX) {
            for (int turn : TURNS) {
                Mat rot = copies.image(turn);
                // the detector places a box badly on a face lying on its side: its box in the turned image is used,
                // and a turn in which the detector sees no face there is not the face's orientation
                Box there = Turn.box(d.box(), turn, bgr.cols(), bgr.rows());
                Box detected = null;
                float overlap = MIN_TURNED_OVERLAP;
                for (Detection t : copies.detections(turn)) {
                    if (t.box().iou(there) >= overlap) {
                        overlap = t.box().iou(there);
                        detected = t.box();
                    }
                }
                if (detected == null) {
                    continue;
                }
                float[] p68 = points68(rot, detected);
                float[] back = Turn.pointsBack(p68, turn, bgr.cols(), bgr.rows());
                Landmarks turned = LandmarkModel.toFive(back);
                Reading r = read(bgr, turned);
                if (r.measured.rawNorm() > uprightNorm * ORIENTATION_WIN_RATIO && r.measured.rawNorm() > best.measured.rawNorm()) {
                    best.release();
                    best = r;
                    five = turned;
                    // the whole face, chin and mouth included: the upright detection's box and the turned one's together
                    box = Turn.union(d.box(), Turn.boxBack(detected, turn, bgr.cols(), bgr.rows()));
                } else {
                    r.release();
                }
            }
        }
        try {
            FaceQuality q = FaceQuality.of(d.score(), five.eyeDistance(), sharpness(best.aligned));
            return new Described(new Face(box, d.score(), five, q, best.measured.embedding()), best.measured.rawNorm());
        } finally {
            best.release();
        }
    }

    private float[] points68(Mat bgr, Box box) {
        float[] p68 = landmarks.points68(bgr, box);
        if (options.refine()) {
            p68 = landmarks.points68(bgr, LandmarkModel.boxAround(p68));
        }
        return p68;
    }

    private record Reading(Mat aligned, FaceEmbedder.Measured measured) {
        void release() {
            aligned.release();
        }
    }

    private Reading read(Mat bgr, Landmarks five) {
        Mat aligned = FaceAligner.align(bgr, five, embedder.cropSize());
        try {
            return new Reading(aligned, embedder.embedMeasured(aligned));
        } catch (RuntimeException e) {
            aligned.release();
            throw e;
        }
    }

    /**
     * The embedding of whatever is at the given landmarks, without detecting anything: what an attacker who knows where
     * a face was would compute from a redacted photo ({@code likeness eval redaction}).
     */
    public Embedding embedAt(Mat bgr, Landmarks five) {
        Mat aligned = FaceAligner.align(bgr, five, embedder.cropSize());
        try {
            return embedder.embed(aligned);
        } finally {
            aligned.release();
        }
    }

    /** Variance of the Laplacian of the grey aligned crop: low means blurred. */
    static float sharpness(Mat aligned) {
        Mat grey = new Mat();
        Mat lap = new Mat();
        MatOfDouble mean = new MatOfDouble();
        MatOfDouble std = new MatOfDouble();
        try {
            Imgproc.cvtColor(aligned, grey, Imgproc.COLOR_BGR2GRAY);
            Imgproc.Laplacian(grey, lap, CvType.CV_64F);
            Core.meanStdDev(lap, mean, std);
            double s = std.get(0, 0)[0];
            return (float) (s * s);
        } finally {
            grey.release();
            lap.release();
            mean.release();
            std.release();
        }
    }

    @Override
    public void close() {
        detector.close();
        landmarks.close();
        embedder.close();
    }
}
