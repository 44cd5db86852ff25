package org.likeness.bench;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a scan's CPU goes: the scan runs under a Java Flight Recorder recording (execution and native-method samples
 * at the same period), each sample is put in a stage by the frames of its stack, and the stage shares of each thread
 * group (the caller: reading, JSON, gzip; the workers: decode, faces, hash) are turned into milliseconds with the
 * group's measured CPU time. CPU the JVM spends outside Java threads (JIT compilers, GC) is the process CPU minus the
 * Java threads'.
 *
 * <p>The scan is run twice (see {@link #profile}). JFR samples a thread's state whether or not it is on a core, so on a loaded machine a share is a share of the
 * thread's time, spread over stages as its CPU is only if descheduling hits every stage alike; the totals are CPU time.
 */
public final class ScanProfile {
    /** Sampling period of both sample kinds: fine enough for a few hundred photos, light enough not to skew them. */
    static final Duration SAMPLE_PERIOD = Duration.ofMillis(2);
    /** How often every thread's CPU time is read (workers end with the scan; their last reading is kept). */
    static final long THREAD_POLL_MILLIS = 20;

    /** Stage of a sample: the first rule, from the leaf up, whose prefix matches a frame "class.method". */
    private static final String[][] RULES = {
            {"org.likeness.face.UltraFaceDetector.toInput", "detect preprocessing"},
            {"org.likeness.face.UltraFaceDetector", "detect #postprocessing"},
            {"org.likeness.face.Nms", "detect postprocessing"},
            {"org.likeness.face.LandmarkModel", "landmarks #crop"},
            {"org.likeness.face.FaceAligner", "alignment"},
            {"org.likeness.face.FacePipeline.sharpness", "quality (sharpness)"},
            {"org.likeness.face.FaceEmbedder", "embed #preprocessing"},
            {"org.opencv.core.Core.rotate", "quarter-turn copies"},
            {"org.likeness.face.Turn", "quarter-turn copies"},
            {"org.likeness.hash.", "PDQ"},
            {"org.likeness.image.ContainerCheck", "container check"},
            {"org.likeness.image.EmbeddedPictures", "container check"},
            {"org.likeness.image.ImageHeader", "container check"},
            {"org.likeness.image.", "decode"},
            {"org.likeness.model.Sha256", "sha256"},
            {"org.likeness.scan.ScanFile.recordLine", "JSON"},
            {"java.util.zip.Deflater", "gzip"},
            {"org.likeness.scan.ScanWriter", "write (buffers, file)"},
            {"org.likeness.scan.ListReader", "read files"},
            {"org.likeness.scan.FolderReader", "read files"},
            {"org.likeness.scan.ArchiveReader", "read files"},
            {"org.likeness.face.FacePipeline", "face pipeline (other)"},
            {"org.likeness.scan.ScanRunner", "scan loop (other)"},
    };

    /** Milliseconds of CPU per photo by stage, in the order {@link #RULES} names them, and the totals. */
    public record Result(int photos, Map<String, Double> workerMsPerPhoto, Map<String, Double> callerMsPerPhoto,
                         double workerMs, double callerMs, double jvmMs, double processMs, long workerSamples, long callerSamples,
                         long jitMs, long gcMs) {
        public double totalMsPerPhoto() {
            return processMs / photos;
        }
    }

    /** The scan itself, run on the calling thread (which becomes the "caller" group). */
    public interface Scan {
        void run() throws IOException;
    }

    private ScanProfile() {
    }

    /** CPU of one pass: the caller thread, the other Java threads (the workers), the whole process. */
    private record Cpu(long callerNs, long workerNs, long processNs, long jitMs, long gcMs) {
    }

    /**
     * Runs the scan twice: once without a recording, for the CPU totals, then under the recording, for the shares of
     * each stage (a recording costs CPU of its own, mostly in its sampler thread, so its totals are not used).
     *
     * @param jfrFile where the samples are written; null: totals only
     */
    public static Result profile(int photos, Scan scan, Path jfrFile) throws IOException {
        Cpu cpu = measure(scan, null);
        Map<String, Long> workerStages = new LinkedHashMap<>();
        Map<String, Long> callerStages = new LinkedHashMap<>();
        for (String[] r : RULES) {
            for (String s : expand(r[1])) {
                workerStages.put(s, 0L);
                callerStages.put(s, 0L);
            }
        }
        long workerSamples = 0, callerSamples = 0;
        if (jfrFile != null) {
            measure(scan, jfrFile);
            long caller = Thread.currentThread().getId();
            for (RecordedEvent e : RecordingFile.readAllEvents(jfrFile)) {
                String type = e.getEventType().getName();
                if (!type.equals("jdk.ExecutionSample") && !type.equals("jdk.NativeMethodSample")) {
                    continue;
                }
                var t = e.getThread("sampledThread");
                if (t == null || t.getJavaName() == null || t.getJavaName().startsWith("JFR") || t.getJavaName().equals(POLLER)) {
                    continue;
                }
                String stage = stage(e.getStackTrace());
                if (t.getJavaThreadId() == caller) {
                    callerStages.merge(stage, 1L, Long::sum);
                    callerSamples++;
                } else {
                    workerStages.merge(stage, 1L, Long::sum);
                    workerSamples++;
                }
            }
        }
        long jvmNs = Math.max(0, cpu.processNs() - cpu.callerNs() - cpu.workerNs());
        return new Result(photos, perPhoto(workerStages, workerSamples, cpu.workerNs(), photos),
                perPhoto(callerStages, callerSamples, cpu.callerNs(), photos), cpu.workerNs() / 1e6, cpu.callerNs() / 1e6,
                jvmNs / 1e6, cpu.processNs() / 1e6, workerSamples, callerSamples, cpu.jitMs(), cpu.gcMs());
    }

    private static final String POLLER = "bench-cpu-poller";

    private static Cpu measure(Scan scan, Path jfrFile) throws IOException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long caller = Thread.currentThread().getId();
        Map<Long, Long> start = cpuOfAll(threads);
        Map<Long, Long> last = new ConcurrentHashMap<>();
        Thread poller = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                last.putAll(cpuOfAll(threads));
                try {
                    Thread.sleep(THREAD_POLL_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, POLLER);
        poller.setDaemon(true);
        long jit0 = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
        long gc0 = gcMillis();
        long p0 = os.getProcessCpuTime();
        long c0 = threads.getCurrentThreadCpuTime();
        if (jfrFile == null) {
            poller.start();
            scan.run();
            poller.interrupt();
        } else {
            try (Recording rec = new Recording()) {
                rec.enable("jdk.ExecutionSample").withPeriod(SAMPLE_PERIOD);
                rec.enable("jdk.NativeMethodSample").withPeriod(SAMPLE_PERIOD);
                poller.start();
                rec.start();
                scan.run();
                rec.stop();
                poller.interrupt();
                rec.dump(jfrFile);
            }
        }
        long callerNs = threads.getCurrentThreadCpuTime() - c0;
        long processNs = os.getProcessCpuTime() - p0;
        long jitMs = ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - jit0;
        long gcMs = gcMillis() - gc0;
        try {
            poller.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        last.putAll(cpuOfAll(threads));
        long workerNs = 0;
        for (Map.Entry<Long, Long> e : last.entrySet()) {
            if (e.getKey() != caller && e.getKey() != poller.getId()) {
                workerNs += e.getValue() - start.getOrDefault(e.getKey(), 0L);
            }
        }
        return new Cpu(callerNs, workerNs, processNs, jitMs, gcMs);
    }

    private static long gcMillis() {
        long ms = 0;
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ms += Math.max(0, gc.getCollectionTime());
        }
        return ms;
    }

    /** "detect #postprocessing" stands for three stages: inference, tensor copies and postprocessing. */
    private static List<String> expand(String stage) {
        int hash = stage.indexOf('#');
        if (hash < 0) {
            return List.of(stage);
        }
        String model = stage.substring(0, hash);
        return List.of(model + stage.substring(hash + 1), model + "inference", model + TENSOR_COPIES);
    }

    /** Java around a model call: filling the direct input buffer, tensor objects, copying outputs out. */
    static final String TENSOR_COPIES = "tensor in/out";

    private static Map<String, Double> perPhoto(Map<String, Long> samples, long total, long ns, int photos) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : samples.entrySet()) {
            out.put(e.getKey(), total == 0 ? 0 : ns / 1e6 * e.getValue() / total / photos);
        }
        return out;
    }

    private static Map<Long, Long> cpuOfAll(ThreadMXBean threads) {
        Map<Long, Long> m = new LinkedHashMap<>();
        for (long id : threads.getAllThreadIds()) {
            long ns = threads.getThreadCpuTime(id);
            if (ns >= 0) {
                m.put(id, ns);
            }
        }
        return m;
    }

    /** The stage of one sample: see {@link #RULES}; model stages split into inference (in ONNX Runtime) and the rest. */
    static String stage(RecordedStackTrace st) {
        if (st == null) {
            return "other";
        }
        List<RecordedFrame> frames = st.getFrames();
        boolean inference = false;
        boolean tensor = false;
        for (RecordedFrame f : frames) {
            String type = f.getMethod().getType().getName();
            String m = type + "." + f.getMethod().getName();
            if (m.equals("ai.onnxruntime.OrtSession.run")) {
                inference = true;
            }
            if (type.startsWith("ai.onnxruntime.") || type.equals("org.likeness.face.OnnxModel")) {
                tensor = true;
                continue;
            }
            for (String[] r : RULES) {
                if (m.startsWith(r[0])) {
                    int hash = r[1].indexOf('#');
                    if (hash < 0) {
                        return r[1];
                    }
                    String model = r[1].substring(0, hash);
                    return model + (inference ? "inference" : tensor ? TENSOR_COPIES : r[1].substring(hash + 1));
                }
            }
        }
        return tensor ? TENSOR_COPIES : "other";
    }

    /** The samples' file is kept for {@code jfr print}; this deletes it when the caller does not want it. */
    public static void discard(Path jfrFile) throws IOException {
        if (jfrFile != null) {
            Files.deleteIfExists(jfrFile);
        }
    }
}
