package org.likeness.face;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.likeness.model.ModelException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One ONNX Runtime session with a single float input. {@link #run} is safe to call from several threads at once;
 * with one intra-op thread each call runs on its caller's thread, so parallelism comes from the callers. Public so that
 * the lab can time a model alone with the product's session options ({@code likeness bench scan}). A model with
 * PRelu's is loaded rewritten by {@link PReluRewrite} (the same outputs, bit for bit, in less time).
 */
public final class OnnxModel implements AutoCloseable {
    private final String id;
    private final OrtSession session;
    private final String inputName;
    private final String firstOutput;
    /**
     * Each calling thread's direct input buffer, reused across calls: ONNX Runtime reads a direct buffer in place,
     * whereas a heap array is copied into a freshly allocated (and zeroed) direct buffer on every call, which the
     * scan's profile showed as allocation and cleaner work on the hot path.
     */
    private final ThreadLocal<ByteBuffer> inputBuffers = new ThreadLocal<>();

    /**
     * Writes a model input in place: {@code input} is a direct, native-order buffer of exactly the input tensor's
     * bytes (4 per float, in the shape's order), at position 0; whatever is written there is what the model reads.
     * Lets a caller fill it with OpenCV through a {@code Mat} over the buffer, with no Java array in between.
     */
    public interface Input {
        void fill(ByteBuffer input);
    }

    public OnnxModel(String id, Path file, int intraOpThreads) {
        this.id = id;
        org.likeness.model.OnnxNative.prepare();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(intraOpThreads);
            opts.setInterOpNumThreads(1);
            opts.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            opts.setSessionLogLevel(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            Optional<byte[]> rewritten = PReluRewrite.rewrite(Files.readAllBytes(file));
            this.session = rewritten.isPresent() ? env.createSession(rewritten.get(), opts) : env.createSession(file.toString(), opts);
            this.inputName = session.getInputNames().iterator().next();
            this.firstOutput = session.getOutputNames().iterator().next();
        } catch (OrtException e) {
            throw new ModelException("cannot load model " + id + " from " + file + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ModelException("cannot read model " + id + " from " + file + ": " + e.getMessage(), e);
        }
    }

    /** Declared shape of the input; −1 for dynamic dimensions. */
    long[] inputShape() {
        try {
            return ((ai.onnxruntime.TensorInfo) session.getInputInfo().get(inputName).getInfo()).getShape();
        } catch (OrtException e) {
            throw new ModelException("model " + id + ": cannot read its input shape", e);
        }
    }

    public String id() {
        return id;
    }

    /** The first output (in the model's declared order), flattened: for single-output models of any naming. */
    float[] runFirst(float[] input, long[] shape) {
        return run(input, shape).get(firstOutput);
    }

    /** Runs the model on one input tensor and returns every output flattened. */
    public Map<String, float[]> run(float[] input, long[] shape) {
        long elements = elements(shape);
        if (input.length != elements) {
            throw new IllegalArgumentException("model " + id + ": " + input.length + " input values for a tensor of "
                    + java.util.Arrays.toString(shape) + " (" + elements + ")");
        }
        return run(b -> b.asFloatBuffer().put(input), shape);
    }

    private static long elements(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** Runs the model on the input {@code fill} writes into this thread's input buffer; every output flattened. */
    public Map<String, float[]> run(Input fill, long[] shape) {
        ByteBuffer in = direct(Math.toIntExact(Math.multiplyExact(elements(shape), Float.BYTES)));
        fill.fill(in);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, in.asFloatBuffer(), shape);
             OrtSession.Result result = session.run(Map.of(inputName, tensor))) {
            Map<String, float[]> out = new HashMap<>();
            for (Map.Entry<String, ai.onnxruntime.OnnxValue> e : result) {
                OnnxTensor t = (OnnxTensor) e.getValue();
                FloatBuffer fb = t.getFloatBuffer();
                float[] arr = new float[fb.remaining()];
                fb.get(arr);
                out.put(e.getKey(), arr);
            }
            return out;
        } catch (OrtException e) {
            throw new ModelException("model " + id + " failed to run: " + e.getMessage(), e);
        }
    }

    /** This thread's buffer, as a fresh view of exactly {@code bytes} at position 0. */
    private ByteBuffer direct(int bytes) {
        ByteBuffer b = inputBuffers.get();
        if (b == null || b.capacity() < bytes) {
            b = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
            inputBuffers.set(b);
        }
        return b.duplicate().clear().limit(bytes).slice().order(ByteOrder.nativeOrder());
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new ModelException("cannot close model " + id, e);
        }
    }
}
