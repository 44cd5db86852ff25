package org.likeness.spark;

import org.likeness.face.FacePipeline;
import org.likeness.hash.PdqHasher;
import org.likeness.hash.PdqResult;
import org.likeness.image.ImageDecoder;
import org.likeness.model.ModelStore;
import org.likeness.scan.ScanRunner;

import java.io.Serializable;
import java.nio.file.Path;

/**
 * One face pipeline per executor JVM, made on the first task that needs it and shared by every task after it (the
 * ONNX Runtime sessions take ≈ 0.5 s and 100 MB to create). Each task runs on one core, so the sessions use one
 * intra-op thread: an executor with N cores runs N tasks, N threads in all, never N².
 */
final class ExecutorPipeline {
    /** Intra-op threads per ONNX session: one, since Spark already runs one task per core. */
    static final int INTRA_OP_THREADS = 1;

    /** Where the models are and how the pipeline is configured: what a task carries instead of the models. */
    record Spec(String modelsHome, String detector, boolean flip, boolean refine) implements Serializable {
        /** The models archive shipped with SparkContext.addArchive, or the shared path given. */
        Path home() {
            if (modelsHome != null) {
                return Path.of(modelsHome);
            }
            // the archive of models/ID/FILE shipped by the driver, unpacked once per executor: a ModelStore home
            return Path.of(org.apache.spark.SparkFiles.get(Jobs.MODELS_ARCHIVE));
        }
    }

    private static FacePipeline pipeline;
    private static Spec made;
    private static int opened;

    private ExecutorPipeline() {
    }

    static synchronized FacePipeline get(Spec spec) {
        if (pipeline == null || !spec.equals(made)) {
            if (pipeline != null) {
                pipeline.close();
            }
            pipeline = open(spec);
            made = spec;
            opened++;
        }
        return pipeline;
    }

    static FacePipeline open(Spec spec) {
        FacePipeline.Options d = FacePipeline.Options.defaults(INTRA_OP_THREADS);
        return FacePipeline.open(new ModelStore(spec.home()),
                new FacePipeline.Options(spec.detector() == null ? d.detector() : spec.detector(), d.flipTta() || spec.flip(),
                        d.refine() || spec.refine(), INTRA_OP_THREADS));
    }

    /** How many pipelines this JVM has opened (tests: one per executor, however many tasks ran). */
    static synchronized int opened() {
        return opened;
    }

    /** A scan runner on the shared pipeline, PDQ included, as {@code likeness scan} runs it. */
    static ScanRunner runner(Spec spec) {
        ThreadLocal<PdqHasher> hashers = ThreadLocal.withInitial(PdqHasher::new);
        return new ScanRunner(get(spec), new ImageDecoder(), bgr -> {
            PdqResult r = hashers.get().hash(bgr);
            return new ScanRunner.ImageHasher.Hash(r.hash().toHex(), r.quality());
        }, 1);
    }
}
