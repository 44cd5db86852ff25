package org.likeness.cluster;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.io.ByteArrayOutputStream;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * All-pairs similarities as a matrix product run by ONNX Runtime (MLAS SGEMM, AVX2), block of rows by block of rows:
 * the same numbers as {@link ChineseWhispers#dot} up to float rounding (≈ 1e-7), several times faster than a Java loop.
 * The one-node model (MatMul) is written here as ONNX protobuf bytes: there is no file to ship.
 */
final class GemmEdges {
    /** Rows per product: 256 × 512 inputs against all n vectors keeps the output at 1 KB × n. */
    static final int ROWS = 256;

    private GemmEdges() {
    }

    /** For each row i: [indexes j > i with similarity ≥ threshold (increasing), float bits of the similarities]. */
    static List<List<int[]>> upper(float[] data, int n, int d, float threshold, int threads) throws OrtException {
        org.likeness.model.OnnxNative.prepare();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        float[] transposed = new float[d * n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < d; k++) {
                transposed[k * n + i] = data[i * d + k];
            }
        }
        List<List<int[]>> out = new ArrayList<>(n);
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(threads);
            try (OrtSession session = env.createSession(matMulModel(), opts);
                 OnnxTensor b = OnnxTensor.createTensor(env, FloatBuffer.wrap(transposed), new long[] {d, n})) {
                for (int i0 = 0; i0 < n; i0 += ROWS) {
                    int rows = Math.min(ROWS, n - i0);
                    float[] block = Arrays.copyOfRange(data, i0 * d, (i0 + rows) * d);
                    try (OnnxTensor a = OnnxTensor.createTensor(env, FloatBuffer.wrap(block), new long[] {rows, d});
                         OrtSession.Result r = session.run(Map.of("A", a, "B", b))) {
                        FloatBuffer c = ((OnnxTensor) r.get(0)).getFloatBuffer();
                        for (int row = 0; row < rows; row++) {
                            out.add(edges(c, row * n, i0 + row, n, threshold));
                        }
                    }
                }
            }
        }
        return out;
    }

    private static List<int[]> edges(FloatBuffer c, int offset, int i, int n, float threshold) {
        int count = 0;
        for (int j = i + 1; j < n; j++) {
            if (c.get(offset + j) >= threshold) {
                count++;
            }
        }
        int[] js = new int[count];
        int[] bits = new int[count];
        int k = 0;
        for (int j = i + 1; j < n; j++) {
            float s = c.get(offset + j);
            if (s >= threshold) {
                js[k] = j;
                bits[k++] = Float.floatToIntBits(s);
            }
        }
        return List.of(js, bits);
    }

    /** ONNX ModelProto: C[m, n] = MatMul(A[m, d], B[d, n]), float, opset 13. Field numbers from onnx.proto3. */
    static byte[] matMulModel() {
        byte[] node = concat(str(1, "A"), str(1, "B"), str(2, "C"), str(4, "MatMul"));
        byte[] graph = concat(msg(1, node), str(2, "likeness_similarities"),
                msg(11, valueInfo("A", "m", "d")), msg(11, valueInfo("B", "d", "n")), msg(12, valueInfo("C", "m", "n")));
        byte[] opset = concat(str(1, ""), varintField(2, 13));
        return concat(varintField(1, 7), str(2, "likeness"), msg(7, graph), msg(8, opset));
    }

    private static byte[] valueInfo(String name, String rows, String cols) {
        byte[] shape = concat(msg(1, str(2, rows)), msg(1, str(2, cols)));
        byte[] tensor = concat(varintField(1, 1 /* FLOAT */), msg(2, shape));
        return concat(str(1, name), msg(2, msg(1, tensor)));
    }

    private static byte[] varintField(int field, long value) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        varint(o, (long) field << 3);
        varint(o, value);
        return o.toByteArray();
    }

    private static byte[] str(int field, String s) {
        return msg(field, s.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] msg(int field, byte[] body) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        varint(o, ((long) field << 3) | 2);
        varint(o, body.length);
        o.writeBytes(body);
        return o.toByteArray();
    }

    private static void varint(ByteArrayOutputStream o, long v) {
        while ((v & ~0x7FL) != 0) {
            o.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        o.write((int) v);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }
}
