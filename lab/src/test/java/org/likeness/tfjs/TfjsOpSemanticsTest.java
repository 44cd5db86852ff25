package org.likeness.tfjs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.face.OnnxModel;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.StringJoiner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Op semantics the four real networks do not exercise, on a small handmade TF.js graph run by ONNX Runtime after import
 * and by TF.js itself (lab/tools/tfjs-reference) on the same random input: EXPLICIT asymmetric padding, asymmetric
 * strides, dilations, a depthwise multiplier of 2, BiasAdd, Relu6, LeakyRelu's alpha, Pad, Mean with keep_dims, Squeeze
 * with no dims, MatMul with transpose_b, Reshape with -1, Softmax and Sum.
 */
class TfjsOpSemanticsTest {
    private final Random random = new Random(5);
    private final StringJoiner nodes = new StringJoiner(",\n");
    private final StringJoiner specs = new StringJoiner(",");
    private final ByteArrayOutputStream bin = new ByteArrayOutputStream();

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String ints(long... v) {
        StringJoiner j = new StringJoiner(",", "{\"list\":{\"i\":[", "]}}");
        for (long x : v) {
            j.add("\"" + x + "\"");
        }
        return j.toString();
    }

    private void node(String name, String op, String inputs, String attrs) {
        nodes.add("{\"name\":\"" + name + "\",\"op\":\"" + op + "\",\"input\":[" + inputs + "],\"attr\":{" + attrs + "}}");
    }

    private void floats(String name, long... shape) {
        int n = 1;
        StringJoiner s = new StringJoiner(",", "[", "]");
        for (long d : shape) {
            n *= (int) d;
            s.add(Long.toString(d));
        }
        ByteBuffer b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            b.putFloat(random.nextFloat() * 2 - 1);
        }
        bin.writeBytes(b.array());
        specs.add("{\"name\":\"" + name + "\",\"shape\":" + s + ",\"dtype\":\"float32\"}");
        node(name, "Const", "", "\"dtype\":{\"type\":\"DT_FLOAT\"}");
    }

    private void int32s(String name, long[] shape, int... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : v) {
            b.putInt(x);
        }
        bin.writeBytes(b.array());
        StringJoiner s = new StringJoiner(",", "[", "]");
        for (long d : shape) {
            s.add(Long.toString(d));
        }
        specs.add("{\"name\":\"" + name + "\",\"shape\":" + s + ",\"dtype\":\"int32\"}");
        node(name, "Const", "", "\"dtype\":{\"type\":\"DT_INT32\"}");
    }

    @Test
    void aHandmadeGraphComputesWhatTfjsComputes(@TempDir Path tmp) throws Exception {
        String f32 = "\"T\":{\"type\":\"DT_FLOAT\"}";
        node("x", "Placeholder", "", "\"dtype\":{\"type\":\"DT_FLOAT\"},\"shape\":{\"shape\":{\"dim\":[{\"size\":\"-1\"},"
                + "{\"size\":\"7\"},{\"size\":\"6\"},{\"size\":\"2\"}]}}");
        floats("f1", 3, 3, 2, 3);
        node("c1", "Conv2D", "\"x\",\"f1\"", f32 + ",\"padding\":{\"s\":\"" + b64("EXPLICIT") + "\"},\"explicit_paddings\":"
                + ints(0, 0, 2, 0, 1, 3, 0, 0) + ",\"strides\":" + ints(1, 2, 1, 1) + ",\"dilations\":" + ints(1, 1, 1, 1)
                + ",\"data_format\":{\"s\":\"" + b64("NHWC") + "\"}");
        floats("f2", 2, 2, 3, 2);
        node("d1", "DepthwiseConv2dNative", "\"c1\",\"f2\"", f32 + ",\"padding\":{\"s\":\"" + b64("SAME") + "\"},\"strides\":"
                + ints(1, 1, 1, 1) + ",\"dilations\":" + ints(1, 2, 2, 1) + ",\"data_format\":{\"s\":\"" + b64("NHWC") + "\"}");
        floats("bias", 6);
        node("b1", "BiasAdd", "\"d1\",\"bias\"", f32 + ",\"data_format\":{\"s\":\"" + b64("NHWC") + "\"}");
        node("r1", "LeakyRelu", "\"b1\"", f32 + ",\"alpha\":{\"f\":0.3}");
        int32s("pads", new long[]{4, 2}, 0, 0, 1, 0, 0, 2, 0, 0);
        node("p1", "Pad", "\"r1\",\"pads\"", f32);
        node("r2", "Relu6", "\"p1\"", f32);
        int32s("axes12", new long[]{2}, 1, 2);
        node("m1", "Mean", "\"r2\",\"axes12\"", f32 + ",\"keep_dims\":{\"b\":true}");
        node("s1", "Squeeze", "\"m1\"", f32);
        floats("w", 4, 6);
        node("mm", "MatMul", "\"s1\",\"w\"", f32 + ",\"transpose_a\":{\"b\":false},\"transpose_b\":{\"b\":true}");
        int32s("shape", new long[]{3}, -1, 2, 2);
        node("rs", "Reshape", "\"mm\",\"shape\"", f32);
        node("sm", "Softmax", "\"rs\"", f32);
        int32s("axis1", new long[]{1}, 1);
        node("out", "Sum", "\"sm\",\"axis1\"", f32 + ",\"keep_dims\":{\"b\":false}");
        compare(tmp, new long[]{2, 7, 6, 2}, List.of("c1", "d1", "r1", "p1", "m1", "mm", "out"));
    }

    @Test
    void fusedOpsComputeWhatTfjsComputes(@TempDir Path tmp) throws Exception {
        String f32 = "\"T\":{\"type\":\"DT_FLOAT\"}";
        node("x", "Placeholder", "", "\"dtype\":{\"type\":\"DT_FLOAT\"},\"shape\":{\"shape\":{\"dim\":[{\"size\":\"-1\"},"
                + "{\"size\":\"9\"},{\"size\":\"8\"},{\"size\":\"3\"}]}}");
        floats("f1", 3, 3, 3, 4);
        floats("b1", 4);
        floats("a1", 4);
        node("c1", "_FusedConv2D", "\"x\",\"f1\",\"b1\",\"a1\"", f32 + ",\"padding\":{\"s\":\"" + b64("SAME") + "\"},\"strides\":"
                + ints(1, 2, 2, 1) + ",\"num_args\":{\"i\":\"2\"},\"fused_ops\":{\"list\":{\"s\":[\"" + b64("BiasAdd") + "\",\""
                + b64("Prelu") + "\"]}}");
        floats("f2", 3, 3, 4, 1);
        floats("b2", 4);
        node("d1", "FusedDepthwiseConv2dNative", "\"c1\",\"f2\",\"b2\"", f32 + ",\"padding\":{\"s\":\"" + b64("VALID") + "\"},"
                + "\"strides\":" + ints(1, 1, 1, 1) + ",\"dilations\":" + ints(1, 1, 1, 1) + ",\"num_args\":{\"i\":\"1\"},"
                + "\"fused_ops\":{\"list\":{\"s\":[\"" + b64("BiasAdd") + "\",\"" + b64("Relu6") + "\"]}}");
        node("sq", "Square", "\"d1\"", f32);
        node("rq", "Rsqrt", "\"sq\"", f32);
        node("mu", "Mul", "\"d1\",\"rq\"", f32);
        int32s("shape", new long[]{2}, -1, 12);
        node("rs", "Reshape", "\"mu\",\"shape\"", f32);
        floats("w", 12, 5);
        floats("bw", 5);
        node("mm", "_FusedMatMul", "\"rs\",\"w\",\"bw\"", f32 + ",\"transpose_a\":{\"b\":false},\"transpose_b\":{\"b\":false},"
                + "\"num_args\":{\"i\":\"1\"},\"fused_ops\":{\"list\":{\"s\":[\"" + b64("BiasAdd") + "\",\"" + b64("Elu") + "\"]}}");
        compare(tmp, new long[]{2, 9, 8, 3}, List.of("c1", "d1", "mu", "mm"));
    }

    private void compare(Path tmp, long[] shape, List<String> outputs) throws Exception {
        Path json = tmp.resolve("model.json");
        Files.writeString(json, "{\"format\":\"graph-model\",\"modelTopology\":{\"node\":[\n" + nodes + "],\"versions\":{\"producer\":1395,\"minConsumer\":0}},"
                + "\"weightsManifest\":[{\"paths\":[\"model.bin\"],\"weights\":[" + specs + "]}]}");
        Files.write(tmp.resolve("model.bin"), bin.toByteArray());
        float[] batch = new float[(int) (shape[0] * shape[1] * shape[2] * shape[3])];
        for (int i = 0; i < batch.length; i++) {
            batch[i] = random.nextFloat() * 4 - 2;
        }
        Path onnx = tmp.resolve("m.onnx");
        Files.write(onnx, TfjsToOnnx.convert(TfjsModel.read(json), outputs));
        Map<String, float[]> ours;
        try (OnnxModel m = new OnnxModel("handmade", onnx, 1)) {
            ours = m.run(batch, shape);
        }
        List<float[]> refs = reference(json, batch, shape, outputs, tmp);
        List<String> wrong = new ArrayList<>();
        for (int o = 0; o < outputs.size(); o++) {
            float[] a = ours.get(outputs.get(o)), r = refs.get(o);
            double maxDiff = a.length == r.length ? 0 : Double.POSITIVE_INFINITY;
            for (int i = 0; i < Math.min(a.length, r.length); i++) {
                maxDiff = Math.max(maxDiff, Math.abs(a[i] - r[i]));
            }
            if (maxDiff > 1e-4) {
                wrong.add(outputs.get(o) + " (" + a.length + " vs " + r.length + " values, max difference " + maxDiff + ")");
            }
        }
        assertThat(wrong).as("outputs differing from TF.js").isEmpty();
    }

    static List<float[]> reference(Path modelJson, float[] batch, long[] shape, List<String> outputs, Path tmp) throws Exception {
        Path in = tmp.resolve("in.f32");
        ByteBuffer b = ByteBuffer.allocate(4 * batch.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(batch);
        Files.write(in, b.array());
        List<String> cmd = new ArrayList<>(List.of("node", TfjsImportTest.REFERENCE.resolve("run.mjs").toString(),
                modelJson.toString(), in.toString()));
        for (long d : shape) {
            cmd.add(Long.toString(d));
        }
        cmd.add(tmp.resolve("ref").toString());
        cmd.addAll(outputs);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("node.log").toFile()).start();
        assertThat(p.waitFor(2, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as("TF.js reference; log: %s", Files.readString(tmp.resolve("node.log"))).isZero();
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < outputs.size(); i++) {
            ByteBuffer r = ByteBuffer.wrap(Files.readAllBytes(tmp.resolve("ref." + i + ".f32"))).order(ByteOrder.LITTLE_ENDIAN);
            float[] v = new float[r.remaining() / 4];
            r.asFloatBuffer().get(v);
            out.add(v);
        }
        return out;
    }

    @Test
    void inputsOfUnknownSizeOrRankRunOnAnyShape(@TempDir Path tmp) throws Exception {
        for (String shape : List.of(",\"shape\":{\"shape\":{\"dim\":[{\"size\":\"-1\"},{\"size\":\"-1\"},{\"size\":\"-1\"},{\"size\":\"2\"}]}}",
                ",\"shape\":{\"shape\":{\"unknownRank\":true}}", "")) {
            Path json = tmp.resolve("u.json");
            Files.writeString(json, "{\"format\":\"graph-model\",\"modelTopology\":{\"node\":["
                    + "{\"name\":\"x\",\"op\":\"Placeholder\",\"attr\":{\"dtype\":{\"type\":\"DT_FLOAT\"}" + shape + "}},"
                    + "{\"name\":\"y\",\"op\":\"Relu\",\"input\":[\"x\"]}]},\"weightsManifest\":[]}");
            Path onnx = tmp.resolve("u.onnx");
            Files.write(onnx, TfjsToOnnx.convert(TfjsModel.read(json), List.of("y")));
            float[] in = new float[2 * 7 * 6 * 2];
            for (int i = 0; i < in.length; i++) {
                in[i] = i % 3 - 1;
            }
            try (OnnxModel m = new OnnxModel("u", onnx, 1)) {
                float[] out = m.run(in, new long[]{2, 7, 6, 2}).get("y");
                assertThat(out).as(shape).hasSize(in.length);
                assertThat(out[2]).isEqualTo(1f);
            }
        }
    }
}
