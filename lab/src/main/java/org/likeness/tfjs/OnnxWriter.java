package org.likeness.tfjs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * An ONNX model written field by field (onnx.proto3 of ONNX 1.14: ModelProto, GraphProto, NodeProto, AttributeProto,
 * TensorProto, ValueInfoProto). Only what the importer needs: float and int64 initialisers in {@code raw_data},
 * one dynamic batch dimension, attributes of type INT, INTS, FLOAT and STRING, the default domain.
 */
final class OnnxWriter {
    /** ONNX IR version 8 (ONNX 1.13+), read by ONNX Runtime 1.14 and later. */
    static final long IR_VERSION = 8;
    /** Opset 13: Squeeze, ReduceSum and Pad take axes / pads as inputs. */
    static final long OPSET = 13;
    static final int FLOAT = 1;
    static final int INT64 = 7;

    private final List<Protobuf> nodes = new ArrayList<>();
    private final List<Protobuf> initialisers = new ArrayList<>();
    private final List<Protobuf> inputs = new ArrayList<>();
    private final List<Protobuf> outputs = new ArrayList<>();
    private int nodeCount;

    /** A node attribute. */
    record Attr(Protobuf proto) {
        static Attr i(String name, long v) {
            return new Attr(new Protobuf().string(1, name).int64(20, 2).int64(3, v));
        }

        static Attr f(String name, float v) {
            return new Attr(new Protobuf().string(1, name).int64(20, 1).float32(2, v));
        }

        static Attr s(String name, String v) {
            return new Attr(new Protobuf().string(1, name).int64(20, 3).string(4, v));
        }

        static Attr ints(String name, long... v) {
            Protobuf p = new Protobuf().string(1, name).int64(20, 7);
            for (long x : v) {
                p.int64(8, x);
            }
            return new Attr(p);
        }
    }

    /** Adds a node whose one output is named {@code output}. */
    void node(String op, List<String> in, String output, Attr... attrs) {
        Protobuf n = new Protobuf();
        for (String s : in) {
            n.string(1, s);
        }
        n.string(2, output).string(3, op + "_" + nodeCount++).string(4, op);
        for (Attr a : attrs) {
            n.message(5, a.proto());
        }
        nodes.add(n);
    }

    void floats(String name, long[] dims, float[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(data);
        initialisers.add(tensor(name, dims, FLOAT, b.array()));
    }

    void int64s(String name, long[] dims, long[] data) {
        ByteBuffer b = ByteBuffer.allocate(8 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(data);
        initialisers.add(tensor(name, dims, INT64, b.array()));
    }

    private static Protobuf tensor(String name, long[] dims, int type, byte[] raw) {
        Protobuf t = new Protobuf();
        for (long d : dims) {
            t.int64(1, d);
        }
        return t.int64(2, type).string(8, name).bytes(9, raw);
    }

    /** A float graph input; a dimension below 0 is the dynamic batch "N". */
    void input(String name, long[] dims) {
        inputs.add(valueInfo(name, dims));
    }

    /** A float graph output of unstated shape. */
    void output(String name) {
        outputs.add(valueInfo(name, null));
    }

    private static Protobuf valueInfo(String name, long[] dims) {
        Protobuf tensorType = new Protobuf().int64(1, FLOAT);
        if (dims != null) {
            Protobuf shape = new Protobuf();
            for (long d : dims) {
                shape.message(1, d < 0 ? new Protobuf().string(2, "N") : new Protobuf().int64(1, d));
            }
            tensorType.message(2, shape);
        }
        return new Protobuf().string(1, name).message(2, new Protobuf().message(1, tensorType));
    }

    byte[] model(String graphName, String producer) {
        Protobuf g = new Protobuf();
        nodes.forEach(n -> g.message(1, n));
        g.string(2, graphName);
        initialisers.forEach(t -> g.message(5, t));
        inputs.forEach(v -> g.message(11, v));
        outputs.forEach(v -> g.message(12, v));
        return new Protobuf().int64(1, IR_VERSION).string(2, producer).message(7, g)
                .message(8, new Protobuf().string(1, "").int64(2, OPSET)).toByteArray();
    }
}
