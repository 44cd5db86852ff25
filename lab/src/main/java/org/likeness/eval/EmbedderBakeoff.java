package org.likeness.eval;

import org.likeness.face.FaceAligner;
import org.likeness.face.FaceDetector;
import org.likeness.face.FaceEmbedder;
import org.likeness.face.LandmarkModel;
import org.likeness.face.Landmarks;
import org.likeness.image.ImageDecoder;
import org.opencv.core.Mat;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Vectors of several embedders for the same faces: per photo the default pipeline's detection, one landmark pass and
 * the outer 5-point reduction run once; each embedder gets its own aligned crop (the template scaled to its side), with
 * and without the mirror image summed in (flip test-time augmentation). Records each embedder's thread CPU per face.
 */
public final class EmbedderBakeoff {
    private final FaceDetector detector;
    private final LandmarkModel landmarks;
    private final List<FaceEmbedder> embedders;
    private final ImageDecoder decoder = new ImageDecoder();
    private final AtomicLongArray cpuNanos;
    private final AtomicLongArray runs;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public EmbedderBakeoff(FaceDetector detector, LandmarkModel landmarks, List<FaceEmbedder> embedders) {
        this.detector = detector;
        this.landmarks = landmarks;
        this.embedders = List.copyOf(embedders);
        this.cpuNanos = new AtomicLongArray(embedders.size());
        this.runs = new AtomicLongArray(embedders.size());
    }

    /** {@code [2e]}: embedder e's unit vector; {@code [2e+1]}: with flip; null when the photo has no face. */
    public float[][] vectors(Path file) throws Exception {
        return PrimaryFace.read(file, decoder, detector, (bgr, box) -> {
            Landmarks five = LandmarkModel.toFive(landmarks.points68(bgr, box));
            float[][] out = new float[2 * embedders.size()][];
            for (int e = 0; e < embedders.size(); e++) {
                FaceEmbedder emb = embedders.get(e);
                Mat aligned = FaceAligner.align(bgr, five, emb.cropSize());
                try {
                    long t0 = THREADS.getCurrentThreadCpuTime();
                    float[] plain = emb.raw(aligned, false);
                    cpuNanos.addAndGet(e, THREADS.getCurrentThreadCpuTime() - t0);
                    runs.incrementAndGet(e);
                    out[2 * e] = Bakeoff.unit(plain);
                    out[2 * e + 1] = Bakeoff.unit(Bakeoff.withMirror(plain, emb.raw(aligned, true)));
                } finally {
                    aligned.release();
                }
            }
            return out;
        });
    }

    /** Thread CPU of one embedder run (crop to vector, no flip), milliseconds, averaged over the run so far. */
    public double msPerFace(int embedder) {
        long n = runs.get(embedder);
        return n == 0 ? Double.NaN : cpuNanos.get(embedder) / 1e6 / n;
    }

    /**
     * Runs {@link #vectors} over files in parallel; failures and no-face photos are absent, each failure told to
     * {@code problems} as (path, reason). Sorted by path.
     */
    public Map<String, float[][]> run(Path root, List<String> files, Runnable tick, java.util.function.BiConsumer<String, String> problems) {
        Map<String, float[][]> out = new ConcurrentHashMap<>();
        new ArrayList<>(files).parallelStream().forEach(f -> {
            try {
                float[][] v = vectors(root.resolve(f));
                if (v != null) {
                    out.put(f, v);
                }
            } catch (Exception e) {
                problems.accept(f, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            }
            tick.run();
        });
        return new TreeMap<>(out);
    }

    /** Writes vectors and per-embedder costs so evaluations can be re-run without the models. */
    public static void save(Path file, List<String> ids, double[] msPerFace, Map<String, float[][]> vectors) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".part");
        write(tmp, ids, msPerFace, vectors);
        // whole or not at all: an interrupted run leaves no truncated cache behind
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static void write(Path file, List<String> ids, double[] msPerFace, Map<String, float[][]> vectors) throws IOException {
        try (DataOutputStream o = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(file)))) {
            o.writeUTF("likeness-embedder-bakeoff-v1");
            o.writeInt(ids.size());
            for (int e = 0; e < ids.size(); e++) {
                o.writeUTF(ids.get(e));
                o.writeDouble(msPerFace[e]);
            }
            o.writeInt(vectors.size());
            for (Map.Entry<String, float[][]> en : vectors.entrySet()) {
                o.writeUTF(en.getKey());
                for (float[] v : en.getValue()) {
                    o.writeInt(v.length);
                    for (float x : v) {
                        o.writeFloat(x);
                    }
                }
            }
        }
    }

    /** What {@link #save} wrote. */
    public record Saved(List<String> ids, double[] msPerFace, Map<String, float[][]> vectors) {
    }

    /** Largest vector a cache may hold (elements): far above any embedder's 1,024, small enough to allocate. */
    static final int MAX_CACHED_DIMS = 1 << 16;

    /** Reads what {@link #save} wrote; a truncated, foreign or corrupt file is an {@link IOException} naming it. */
    public static Saved load(Path file) throws IOException {
        try {
            return read(file);
        } catch (java.io.EOFException e) {
            throw new IOException(file + ": truncated embedder bake-off cache");
        } catch (java.util.zip.ZipException | java.io.UTFDataFormatException e) {
            throw new IOException(file + ": not an embedder bake-off cache (" + e.getMessage() + ")");
        } catch (java.nio.file.FileSystemException e) {
            throw e;
        } catch (IOException e) {
            throw e.getMessage() != null && e.getMessage().startsWith(file + ": ") ? e
                    : new IOException(file + ": unreadable embedder bake-off cache: " + e.getMessage(), e);
        }
    }

    private static Saved read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new GZIPInputStream(Files.newInputStream(file)))) {
            if (!in.readUTF().equals("likeness-embedder-bakeoff-v1")) {
                throw new IOException(file + ": not an embedder bake-off cache");
            }
            int n = in.readInt();
            if (n < 0 || n > MAX_CACHED_DIMS) {
                throw new IOException(file + ": corrupt embedder bake-off cache: " + n + " embedders");
            }
            List<String> ids = new ArrayList<>();
            double[] ms = new double[n];
            for (int e = 0; e < n; e++) {
                ids.add(in.readUTF());
                ms[e] = in.readDouble();
            }
            int count = in.readInt();
            if (count < 0) {
                throw new IOException(file + ": corrupt embedder bake-off cache: " + count + " photos");
            }
            Map<String, float[][]> vectors = new TreeMap<>();
            for (int k = 0; k < count; k++) {
                String path = in.readUTF();
                float[][] v = new float[2 * n][];
                for (int j = 0; j < v.length; j++) {
                    int dims = in.readInt();
                    if (dims < 0 || dims > MAX_CACHED_DIMS) {
                        throw new IOException(file + ": corrupt embedder bake-off cache: a vector of " + dims + " values");
                    }
                    v[j] = new float[dims];
                    for (int d = 0; d < v[j].length; d++) {
                        v[j][d] = in.readFloat();
                    }
                }
                vectors.put(path, v);
            }
            return new Saved(ids, ms, vectors);
        }
    }
}
