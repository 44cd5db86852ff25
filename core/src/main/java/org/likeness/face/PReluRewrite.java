package org.likeness.face;

import org.likeness.face.OnnxWire.Field;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.likeness.face.OnnxWire.bytesField;
import static org.likeness.face.OnnxWire.stringField;
import static org.likeness.face.OnnxWire.tag;
import static org.likeness.face.OnnxWire.varintField;

/**
 * Rewrites each {@code PRelu} of an ONNX model into operations that ONNX Runtime keeps in its blocked (NCHWc) layout,
 * with the same output bit for bit: {@code PRelu(x) = Relu(x) + (−s)·Relu(−x)}, the negation and the per-channel scale
 * written as {@code BatchNormalization} (mean 0, variance 1, epsilon 0), which ONNX Runtime turns into 1×1 depthwise
 * convolutions in that layout. Why: ONNX Runtime's NCHWc transformer handles Conv, pooling, Add/Sum/Mul, Concat,
 * Relu/Sigmoid/Tanh and BatchNormalization but not PRelu, so in fr_feature each of the 33 PRelu's took its input out of
 * the blocked layout and back again: PRelu 19 % and the two reorders 14 % of the model's kernel time
 * (docs/BENCHMARKS.md, "Scan CPU, second pass").
 *
 * <p>Exact: for x &gt; 0, Relu(−x) = 0 and x + (−s)·0 = x; for x &lt; 0, Relu(x) = 0 and 0 + (−s)·(−x) is the one
 * rounded product s·x that PRelu computes (negation is exact in floating point, and so are the products by −1 and the
 * additions of 0 of the batch-normalisation form); at most the sign of a zero differs. {@code PReluRewriteTest} checks
 * the outputs bit for bit on real faces.
 *
 * <p>Only a model this rewrite understands is changed: default-domain opset 9-13 (the operator versions the blocked
 * layout handles), each PRelu's input the output of a 2-D Conv with C output channels and its slope a float
 * initializer of C values shaped [C,1,1] or [1,C,1,1], no weights in external files (ONNX Runtime finds those from
 * the model's path, and a rewritten model is passed as bytes), no name of its own starting {@value #PREFIX}. Anything else
 * is left as it is ({@link #rewrite} returns empty). The wire format is read and written by hand (ONNX's protobuf
 * schema, field numbers from onnx.proto) so that no protobuf library is needed for one graph edit.
 */
final class PReluRewrite {
    /** Default-domain opsets whose BatchNormalization (7/9), Relu (6/13) and Add (7/13) the NCHWc transformer handles. */
    static final int MIN_OPSET = 9;
    static final int MAX_OPSET = 13;

    // onnx.proto field numbers
    private static final int MODEL_GRAPH = 7;
    private static final int MODEL_OPSET = 8;
    private static final int OPSET_DOMAIN = 1;
    private static final int OPSET_VERSION = 2;
    private static final int GRAPH_NODE = 1;
    private static final int GRAPH_INITIALIZER = 5;
    private static final int NODE_INPUT = 1;
    private static final int NODE_OUTPUT = 2;
    private static final int NODE_NAME = 3;
    private static final int NODE_OP = 4;
    private static final int NODE_ATTRIBUTE = 5;
    private static final int NODE_DOMAIN = 7;
    private static final int ATTR_NAME = 1;
    private static final int ATTR_FLOAT = 2;
    private static final int ATTR_TYPE = 20;
    private static final int ATTR_TYPE_FLOAT = 1;
    private static final int TENSOR_DIMS = 1;
    private static final int TENSOR_TYPE = 2;
    private static final int TENSOR_FLOATS = 4;
    private static final int TENSOR_NAME = 8;
    private static final int TENSOR_RAW = 9;
    private static final int TENSOR_TYPE_FLOAT = 1;
    private static final int TENSOR_EXTERNAL_DATA = 13;
    private static final int TENSOR_DATA_LOCATION = 14;
    /** Prefix of the names this rewrite gives its tensors and nodes; a model already using it is left alone. */
    static final String PREFIX = "likeness_";

    private PReluRewrite() {
    }

    /** The rewritten model, or empty when it has no PRelu or is not a model this rewrite understands. */
    static Optional<byte[]> rewrite(byte[] model) {
        try {
            return rewriteOrThrow(model);
        } catch (RuntimeException e) {
            return Optional.empty(); // malformed for this reader: ONNX Runtime reads the original and says what is wrong
        }
    }

    private static Optional<byte[]> rewriteOrThrow(byte[] model) {
        List<Field> top = Field.parse(model, 0, model.length);
        Field graph = null;
        long opset = -1;
        for (Field f : top) {
            if (f.number() == MODEL_GRAPH && f.wire() == 2) {
                graph = f;
            } else if (f.number() == MODEL_OPSET && f.wire() == 2) {
                String domain = "";
                long version = -1;
                for (Field o : Field.parse(model, f.start(), f.end())) {
                    if (o.number() == OPSET_DOMAIN && o.wire() == 2) {
                        domain = o.string(model);
                    } else if (o.number() == OPSET_VERSION && o.wire() == 0) {
                        version = o.value();
                    }
                }
                if (domain.isEmpty() || domain.equals("ai.onnx")) {
                    opset = version;
                }
            }
        }
        if (graph == null || opset < MIN_OPSET || opset > MAX_OPSET) {
            return Optional.empty();
        }
        List<Field> items = Field.parse(model, graph.start(), graph.end());
        Map<String, float[]> slopes = new HashMap<>();
        Map<String, List<Long>> shapes = new HashMap<>();
        Map<String, Integer> uses = new HashMap<>();
        Map<String, Node> producers = new HashMap<>();
        for (Field f : items) {
            if (f.number() == GRAPH_INITIALIZER && f.wire() == 2) {
                if (external(model, f) || tensorName(model, f).startsWith(PREFIX)) {
                    return Optional.empty(); // weights in another file are found from the model's path, not its bytes
                }
                floatVector(model, f).ifPresent(e -> slopes.put(e.getKey(), e.getValue()));
                shapes.put(tensorName(model, f), dims(model, f));
            } else if (f.number() == GRAPH_NODE && f.wire() == 2) {
                Node n = Node.of(model, f);
                if (n.outputs.stream().anyMatch(o -> o.startsWith(PREFIX))) {
                    return Optional.empty();
                }
                n.inputs.forEach(i -> uses.merge(i, 1, Integer::sum));
                n.outputs.forEach(o -> producers.put(o, n));
            }
        }
        ByteArrayOutputStream nodes = new ByteArrayOutputStream();
        ByteArrayOutputStream added = new ByteArrayOutputStream();
        List<String> dropped = new ArrayList<>();
        Map<String, Boolean> constants = new HashMap<>();
        int rewritten = 0;
        for (Field f : items) {
            if (f.number() != GRAPH_NODE || f.wire() != 2) {
                continue;
            }
            Node n = Node.of(model, f);
            float[] s = n.isPRelu() ? slopes.get(n.inputs.get(1)) : null;
            if (s == null || !fromConv2d(producers.get(n.inputs.get(0)), shapes, s.length)) {
                f.copyTo(model, nodes);
                continue;
            }
            int c = s.length;
            String x = n.inputs.get(0);
            String y = n.outputs.get(0);
            String p = PREFIX + "prelu" + rewritten + "_";
            String negOne = constant(added, constants, PREFIX + "minus_one_" + c, filled(c, -1f));
            String zero = constant(added, constants, PREFIX + "zero_" + c, filled(c, 0f));
            String one = constant(added, constants, PREFIX + "one_" + c, filled(c, 1f));
            float[] minusSlope = new float[c];
            for (int i = 0; i < c; i++) {
                minusSlope[i] = -s[i];
            }
            String scale = constant(added, constants, p + "minus_slope", minusSlope);
            byte[] eps = attribute("epsilon", 0f);
            node(nodes, "Relu", List.of(x), p + "positive", p + "relu_positive", null);
            node(nodes, "BatchNormalization", List.of(x, negOne, zero, zero, one), p + "negated", p + "negate", eps);
            node(nodes, "Relu", List.of(p + "negated"), p + "negative", p + "relu_negative", null);
            node(nodes, "BatchNormalization", List.of(p + "negative", scale, zero, zero, one), p + "scaled", p + "scale", eps);
            node(nodes, "Add", List.of(p + "positive", p + "scaled"), y, p + "add", null);
            if (uses.getOrDefault(n.inputs.get(1), 0) == 1) {
                dropped.add(n.inputs.get(1));
            }
            rewritten++;
        }
        if (rewritten == 0) {
            return Optional.empty();
        }
        // the graph: its nodes (PRelu's replaced, in place, so the order stays topological), then everything else
        // but the slopes no node reads any more, then the new constants
        ByteArrayOutputStream g = new ByteArrayOutputStream(graph.end() - graph.start() + nodes.size() + added.size());
        g.writeBytes(nodes.toByteArray());
        for (Field f : items) {
            if (f.number() == GRAPH_NODE && f.wire() == 2) {
                continue;
            }
            if (f.number() == GRAPH_INITIALIZER && f.wire() == 2 && dropped.contains(tensorName(model, f))) {
                continue;
            }
            f.copyTo(model, g);
        }
        g.writeBytes(added.toByteArray());
        ByteArrayOutputStream out = new ByteArrayOutputStream(model.length + added.size());
        for (Field f : top) {
            if (f == graph) {
                bytesField(out, MODEL_GRAPH, g.toByteArray());
            } else {
                f.copyTo(model, out);
            }
        }
        return Optional.of(out.toByteArray());
    }

    /**
     * Whether a tensor is the output of a 2-D convolution with {@code channels} output channels: then it is N×C×H×W
     * and the slope's channel axis is its axis 1, the one BatchNormalization scales (a slope of shape [C,1,1] would
     * broadcast onto other axes of a tensor of another rank).
     */
    private static boolean fromConv2d(Node producer, Map<String, List<Long>> shapes, int channels) {
        if (producer == null || !producer.op.equals("Conv") || !(producer.domain.isEmpty() || producer.domain.equals("ai.onnx"))
                || producer.inputs.size() < 2 || producer.outputs.size() != 1) {
            return false;
        }
        List<Long> w = shapes.get(producer.inputs.get(1));
        return w != null && w.size() == 4 && w.get(0) == channels;
    }

    private static List<Long> dims(byte[] b, Field tensor) {
        List<Long> dims = new ArrayList<>();
        for (Field t : Field.parse(b, tensor.start(), tensor.end())) {
            if (t.number() == TENSOR_DIMS) {
                if (t.wire() == 0) {
                    dims.add(t.value());
                } else if (t.wire() == 2) {
                    int[] at = {t.start()};
                    while (at[0] < t.end()) {
                        dims.add(Field.varint(b, at));
                    }
                }
            }
        }
        return dims;
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    private static String constant(ByteArrayOutputStream out, Map<String, Boolean> made, String name, float[] values) {
        if (made.putIfAbsent(name, true) == null) {
            ByteArrayOutputStream t = new ByteArrayOutputStream();
            varintField(t, TENSOR_DIMS, values.length);
            varintField(t, TENSOR_TYPE, TENSOR_TYPE_FLOAT);
            stringField(t, TENSOR_NAME, name);
            ByteBuffer raw = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : values) {
                raw.putFloat(v);
            }
            bytesField(t, TENSOR_RAW, raw.array());
            bytesField(out, GRAPH_INITIALIZER, t.toByteArray());
        }
        return name;
    }

    private static byte[] attribute(String name, float value) {
        ByteArrayOutputStream a = new ByteArrayOutputStream();
        stringField(a, ATTR_NAME, name);
        tag(a, ATTR_FLOAT, 5);
        int bits = Float.floatToRawIntBits(value);
        for (int i = 0; i < 4; i++) {
            a.write(bits >>> (8 * i));
        }
        varintField(a, ATTR_TYPE, ATTR_TYPE_FLOAT);
        return a.toByteArray();
    }

    private static void node(ByteArrayOutputStream out, String op, List<String> inputs, String output, String name, byte[] attribute) {
        ByteArrayOutputStream n = new ByteArrayOutputStream();
        for (String i : inputs) {
            stringField(n, NODE_INPUT, i);
        }
        stringField(n, NODE_OUTPUT, output);
        stringField(n, NODE_NAME, name);
        stringField(n, NODE_OP, op);
        if (attribute != null) {
            bytesField(n, NODE_ATTRIBUTE, attribute);
        }
        bytesField(out, GRAPH_NODE, n.toByteArray());
    }

    /** Whether an initializer keeps its values in another file (external data). */
    private static boolean external(byte[] b, Field tensor) {
        for (Field t : Field.parse(b, tensor.start(), tensor.end())) {
            if (t.number() == TENSOR_EXTERNAL_DATA || (t.number() == TENSOR_DATA_LOCATION && t.wire() == 0 && t.value() != 0)) {
                return true;
            }
        }
        return false;
    }

    private static String tensorName(byte[] b, Field tensor) {
        for (Field t : Field.parse(b, tensor.start(), tensor.end())) {
            if (t.number() == TENSOR_NAME && t.wire() == 2) {
                return t.string(b);
            }
        }
        return "";
    }

    /** A float initializer holding one value per channel ([C,1,1] or [1,C,1,1]): its name and values. */
    private static Optional<Map.Entry<String, float[]>> floatVector(byte[] b, Field tensor) {
        String name = null;
        long type = -1;
        List<Long> dims = new ArrayList<>();
        Field raw = null; // not copied: most initializers are convolution weights, never slopes
        List<Float> floats = new ArrayList<>();
        for (Field t : Field.parse(b, tensor.start(), tensor.end())) {
            switch (t.number()) {
                case TENSOR_NAME -> name = t.string(b);
                case TENSOR_TYPE -> type = t.value();
                case TENSOR_DIMS -> {
                    if (t.wire() == 0) {
                        dims.add(t.value());
                    } else {
                        int[] at = {t.start()};
                        while (at[0] < t.end()) {
                            dims.add(Field.varint(b, at));
                        }
                    }
                }
                case TENSOR_RAW -> raw = t;
                case TENSOR_FLOATS -> {
                    if (t.wire() == 5) {
                        floats.add(Float.intBitsToFloat((int) t.value()));
                    } else if (t.wire() == 2) {
                        ByteBuffer bb = ByteBuffer.wrap(b, t.start(), t.end() - t.start()).order(ByteOrder.LITTLE_ENDIAN);
                        while (bb.remaining() >= 4) {
                            floats.add(bb.getFloat());
                        }
                    }
                }
                default -> {
                }
            }
        }
        if (name == null || type != TENSOR_TYPE_FLOAT || dims.isEmpty()) {
            return Optional.empty();
        }
        // [C,1,1] or [1,C,1,1]: one slope per channel of an NCHW input ([C] would broadcast onto W)
        long channels;
        if (dims.size() == 3 && dims.get(1) == 1 && dims.get(2) == 1) {
            channels = dims.get(0);
        } else if (dims.size() == 4 && dims.get(0) == 1 && dims.get(2) == 1 && dims.get(3) == 1) {
            channels = dims.get(1);
        } else {
            return Optional.empty();
        }
        if (channels < 1 || channels > Integer.MAX_VALUE / Float.BYTES) {
            return Optional.empty();
        }
        float[] v = new float[(int) channels];
        if (raw != null) {
            if (raw.end() - raw.start() != v.length * Float.BYTES) {
                return Optional.empty();
            }
            ByteBuffer.wrap(b, raw.start(), raw.end() - raw.start()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        } else {
            if (floats.size() != v.length) {
                return Optional.empty();
            }
            for (int i = 0; i < v.length; i++) {
                v[i] = floats.get(i);
            }
        }
        return Optional.of(Map.entry(name, v));
    }

    private record Node(String op, String domain, List<String> inputs, List<String> outputs, int attributes) {
        static Node of(byte[] b, Field node) {
            String op = "";
            String domain = "";
            List<String> in = new ArrayList<>();
            List<String> out = new ArrayList<>();
            int attributes = 0;
            for (Field f : Field.parse(b, node.start(), node.end())) {
                switch (f.number()) {
                    case NODE_INPUT -> in.add(f.string(b));
                    case NODE_OUTPUT -> out.add(f.string(b));
                    case NODE_OP -> op = f.string(b);
                    case NODE_DOMAIN -> domain = f.string(b);
                    case NODE_ATTRIBUTE -> attributes++;
                    default -> {
                    }
                }
            }
            return new Node(op, domain, in, out, attributes);
        }

        boolean isPRelu() {
            return op.equals("PRelu") && (domain.isEmpty() || domain.equals("ai.onnx")) && inputs.size() == 2
                    && outputs.size() == 1 && attributes == 0;
        }
    }

}
