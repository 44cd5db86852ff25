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

    public String landmarksId() {
        return landmarks.modelId();
    }

    public String embedderId() {
        return embedder.modelId();
    }

    /** Every face in the image, in decreasing detector score. */
    public List<Face> faces(Mat bgr) {
        List<Face> faces = new ArrayList<>();
        for (Detection d : detector.detect(bgr)) {
            faces.add(describe(bgr, d));
        }
        return faces;
    }

    /** Landmarks, alignment, quality and embedding for one detection. */
    public Face describe(Mat bgr, Detection d) {
        Landmarks five = d.landmarks();
        if (five == null) {
            float[] p68 = landmarks.points68(bgr, d.box());
            if (options.refine()) {
                p68 = landmarks.points68(bgr, LandmarkModel.boxAround(p68));
            }
            five = LandmarkModel.toFive(p68);
        }
        Mat aligned = FaceAligner.align(bgr, five, embedder.cropSize());
        try {
            Embedding e = embedder.embed(aligned);
            FaceQuality q = FaceQuality.of(d.score(), five.eyeDistance(), sharpness(aligned));
            return new Face(d.box(), d.score(), five, q, e);
        } finally {
            aligned.release();
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
