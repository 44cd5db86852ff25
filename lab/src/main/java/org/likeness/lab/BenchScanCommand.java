package org.likeness.lab;

import org.likeness.bench.ScanProfile;
import org.likeness.cli.BaseCommand;
import org.likeness.cli.ExitCodes;
import org.likeness.face.Detection;
import org.likeness.face.Face;
import org.likeness.face.FaceAligner;
import org.likeness.face.FaceDetector;
import org.likeness.face.FaceEmbedder;
import org.likeness.face.FacePipeline;
import org.likeness.face.LandmarkModel;
import org.likeness.face.OnnxModel;
import org.likeness.hash.PdqHasher;
import org.likeness.hash.PdqResult;
import org.likeness.image.DecodedImage;
import org.likeness.image.ImageDecoder;
import org.likeness.model.ModelCatalogue;
import org.likeness.model.ModelStore;
import org.likeness.scan.DatasetReader;
import org.likeness.scan.Progress;
import org.likeness.scan.ScanHeader;
import org.likeness.scan.ScanRunner;
import org.likeness.scan.ScanSummary;
import org.likeness.scan.ScanWriter;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;
import org.likeness.bench.CountingDetector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code likeness bench scan --images DIR --first N}: the default scan of the first N photos (byte order of their
 * paths), profiled (docs/BENCHMARKS.md, "Scan CPU profile"), beside the three models timed alone on prepared tensors.
 * CPU time, not wall time, so that a figure means something on a shared machine.
 */
@Command(name = "scan", mixinStandardHelpOptions = true,
        description = "Profile the default scan of the first N photos of a folder: CPU per photo by stage (JFR samples), and the models alone.")
final class BenchScanCommand extends BaseCommand {
    @Option(names = "--images", required = true, description = "Folder of photos, e.g. ../shared/data/lfw-dev/images.")
    Path images;
    @Option(names = "--first", description = "Photos scanned: the first N in byte order of their paths (default ${DEFAULT-VALUE}).")
    int first = 300;
    @Option(names = "--threads", description = "Scan worker threads (default ${DEFAULT-VALUE}: CPU per stage is clearest on one).")
    int threads = 1;
    @Option(names = "--warmup", description = "Untimed passes over the same photos first, so that JIT compilation is done (default ${DEFAULT-VALUE}).")
    int warmup = 1;
    @Option(names = "--runs", description = "Runs of each model alone; the median CPU time is reported (default ${DEFAULT-VALUE}).")
    int runs = 50;
    @Option(names = "--jfr", description = "Keep the recording here (default: deleted).")
    Path jfr;
    @Option(names = "--no-profile", description = "No recording: CPU totals only (the recording's own cost is the difference).")
    boolean noProfile;
    @Option(names = "-o", description = "Keep the scan file here (default: a temporary file, deleted).")
    Path output;

    @Override
    public Integer call() throws IOException {
        List<String> photos;
        try (Stream<Path> s = Files.walk(images)) {
            photos = s.filter(Files::isRegularFile).map(p -> p.toAbsolutePath().toString()).sorted().limit(first).toList();
        }
        if (photos.isEmpty()) {
            err().println("likeness: " + images + ": no photos");
            return ExitCodes.ERROR;
        }
        ModelStore store = ModelStore.fromEnvironment();
        CountingDetector detector = new CountingDetector(FacePipeline.detector(store, ModelCatalogue.ULTRAFACE, 1));
        Path out = output != null ? output : Files.createTempFile("likeness-bench-scan-", ".jsonl.gz");
        Path rec = noProfile ? null : jfr != null ? jfr : Files.createTempFile("likeness-bench-scan-", ".jfr");
        try (FacePipeline pipeline = new FacePipeline(detector, new LandmarkModel(store.require(ModelCatalogue.LANDMARK68), 1),
                new FaceEmbedder(store.require(ModelCatalogue.ARCFACE512), 1, false), FacePipeline.Options.defaults(1))) {
            ScanRunner runner = new ScanRunner(pipeline, new ImageDecoder(), pdq(), threads);
            ScanHeader header = new ScanHeader(ScanHeader.VERSION, images.toString(), pipeline.detectorId(), pipeline.landmarksId(),
                    pipeline.embedderId(), Instant.now().toString());
            ScanSummary[] summary = new ScanSummary[1];
            ScanProfile.Scan scan = () -> {
                try (ScanWriter w = new ScanWriter(out, header); DatasetReader r = DatasetReader.ofFiles(Path.of(""), photos)) {
                    summary[0] = runner.run(r, w, p -> false, Progress.none(), err());
                }
            };
            for (int i = 0; i < warmup; i++) {
                scan.run();
            }
            detector.runs.set(0);
            ScanProfile.Result res = ScanProfile.profile(photos.size(), scan, rec);
            long runsPerPass = detector.runs.get() / (rec == null ? 1 : 2); // the profile scans twice when it records
            Isolated iso = isolated(store, pipeline, photos);
            print(res, summary[0], runsPerPass, iso);
        } finally {
            if (output == null) {
                Files.deleteIfExists(out);
            }
            if (jfr == null) {
                ScanProfile.discard(rec);
            }
        }
        return ExitCodes.OK;
    }

    private static ScanRunner.ImageHasher pdq() {
        ThreadLocal<PdqHasher> hashers = ThreadLocal.withInitial(PdqHasher::new);
        return bgr -> {
            PdqResult r = hashers.get().hash(bgr);
            return new ScanRunner.ImageHasher.Hash(r.hash().toHex(), r.quality());
        };
    }

    /**
     * Median CPU milliseconds of one run of each model alone, on tensors made from the first photo with a face: the
     * detector's input as the scan makes it, the aligned crop of its first face, and for the landmark model the photo
     * shrunk to 64×64 grey (its cost was measured the same on real face crops, 0.35–0.36 ms either way).
     */
    record Isolated(double detect, double landmarks, double embed) {
    }

    private Isolated isolated(ModelStore store, FacePipeline pipeline, List<String> photos) throws IOException {
        ImageDecoder decoder = new ImageDecoder();
        for (String p : photos) {
            try (DecodedImage img = decoder.decode(p, Files.readAllBytes(Path.of(p)))) {
                List<Face> faces = pipeline.faces(img.bgr());
                if (faces.isEmpty()) {
                    continue;
                }
                float[] det = planes(resized(img.bgr(), 320, 240), 127f, 128f);
                Mat grey = new Mat();
                Imgproc.cvtColor(resized(img.bgr(), 64, 64), grey, Imgproc.COLOR_BGR2GRAY);
                byte[] g = new byte[64 * 64];
                grey.get(0, 0, g);
                float[] lm = new float[g.length];
                for (int i = 0; i < g.length; i++) {
                    lm[i] = (g[i] & 0xff) / 256f;
                }
                Mat aligned = FaceAligner.align(img.bgr(), faces.get(0).landmarks());
                float[] emb = planes(aligned, 127.5f, 128f);
                return new Isolated(
                        median(store, ModelCatalogue.ULTRAFACE, det, new long[]{1, 3, 240, 320}),
                        median(store, ModelCatalogue.LANDMARK68, lm, new long[]{1, 1, 64, 64}),
                        median(store, ModelCatalogue.ARCFACE512, emb, new long[]{1, 3, 112, 112}));
            } catch (org.likeness.image.DecodeException e) {
                err().println("likeness: " + e.getMessage());
            }
        }
        throw new IOException("no photo with a face among the " + photos.size() + " scanned");
    }

    private static Mat resized(Mat bgr, int w, int h) {
        Mat m = new Mat();
        Imgproc.resize(bgr, m, new Size(w, h), 0, 0, Imgproc.INTER_LINEAR);
        return m;
    }

    /** BGR bytes to RGB float planes, (x − mean) / std: the models' own normalisation (docs/MODELS.md). */
    private static float[] planes(Mat bgr, float mean, float std) {
        int n = bgr.rows() * bgr.cols();
        byte[] px = new byte[3 * n];
        bgr.get(0, 0, px);
        float[] t = new float[3 * n];
        for (int i = 0; i < n; i++) {
            t[i] = ((px[3 * i + 2] & 0xff) - mean) / std;
            t[n + i] = ((px[3 * i + 1] & 0xff) - mean) / std;
            t[2 * n + i] = ((px[3 * i] & 0xff) - mean) / std;
        }
        return t;
    }

    private double median(ModelStore store, String id, float[] input, long[] shape) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        try (OnnxModel model = new OnnxModel(id, store.require(id), 1)) {
            for (int i = 0; i < 5; i++) {
                model.run(input, shape);
            }
            long[] ns = new long[runs];
            for (int i = 0; i < runs; i++) {
                long t0 = mx.getCurrentThreadCpuTime();
                model.run(input, shape);
                ns[i] = mx.getCurrentThreadCpuTime() - t0;
            }
            Arrays.sort(ns);
            return ns[runs / 2] / 1e6;
        }
    }

    private void print(ScanProfile.Result r, ScanSummary s, long detectorRuns, Isolated iso) {
        int n = r.photos();
        double facesPerPhoto = (double) s.faces() / n;
        var o = out();
        o.printf(Locale.ROOT, "%d photos, %d faces (%.3f per photo), %d failures, %d scan threads; detector runs %.3f per photo%n",
                n, s.faces(), facesPerPhoto, s.failures(), threads, (double) detectorRuns / n);
        o.printf(Locale.ROOT, "%-28s %9s %9s %9s %6s%n", "stage (CPU ms per photo)", "workers", "caller", "total", "share");
        double total = r.totalMsPerPhoto();
        for (String stage : r.workerMsPerPhoto().keySet()) {
            double w = r.workerMsPerPhoto().get(stage);
            double c = r.callerMsPerPhoto().getOrDefault(stage, 0.0);
            if (w + c < 0.0005) {
                continue;
            }
            o.printf(Locale.ROOT, "%-28s %9.3f %9.3f %9.3f %5.1f%%%n", stage, w, c, w + c, 100 * (w + c) / total);
        }
        for (Map.Entry<String, Double> e : r.callerMsPerPhoto().entrySet()) {
            if (!r.workerMsPerPhoto().containsKey(e.getKey()) && e.getValue() >= 0.0005) {
                o.printf(Locale.ROOT, "%-28s %9.3f %9.3f %9.3f %5.1f%%%n", e.getKey(), 0.0, e.getValue(), e.getValue(), 100 * e.getValue() / total);
            }
        }
        double jvm = r.jvmMs() / n;
        o.printf(Locale.ROOT, "%-28s %9s %9s %9.3f %5.1f%%  (JIT compiling %.3f, GC pauses %.3f ms per photo, wall)%n",
                "JVM (JIT compilers, GC)", "", "", jvm, 100 * jvm / total, (double) r.jitMs() / n, (double) r.gcMs() / n);
        o.printf(Locale.ROOT, "%-28s %9.3f %9.3f %9.3f  (process CPU; samples: workers %d, caller %d)%n", "total",
                r.workerMs() / n, r.callerMs() / n, total, r.workerSamples(), r.callerSamples());
        double models = iso.detect() + facesPerPhoto * (iso.landmarks() + iso.embed());
        double modelsAtRuns = iso.detect() * detectorRuns / n + facesPerPhoto * (iso.landmarks() + iso.embed());
        o.printf(Locale.ROOT, "models alone (median of %d runs, CPU ms): detector %.3f, landmarks %.3f, embedder %.3f%n", runs,
                iso.detect(), iso.landmarks(), iso.embed());
        o.printf(Locale.ROOT, "models per photo: %.3f ms (1 detection + %.3f faces), %.3f ms with the scan's %.3f detector runs per photo%n",
                models, facesPerPhoto, modelsAtRuns, (double) detectorRuns / n);
        o.printf(Locale.ROOT, "scan at %.0f%% of the models' speed (%.3f / %.3f ms); at this CPU cost 2 cores give at most %.0f photos/s%n",
                100 * models / total, models, total, 2000 / total);
    }
}
