package org.likeness.tfjs;

import org.likeness.face.OnnxWire;

import java.io.ByteArrayOutputStream;

/** A protocol-buffers message under construction, written with the product's {@link OnnxWire}. */
final class Protobuf {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Protobuf int64(int field, long v) {
        OnnxWire.varintField(out, field, v);
        return this;
    }

    Protobuf float32(int field, float v) {
        OnnxWire.fixed32Field(out, field, Float.floatToIntBits(v));
        return this;
    }

    Protobuf bytes(int field, byte[] b) {
        OnnxWire.bytesField(out, field, b);
        return this;
    }

    Protobuf string(int field, String s) {
        OnnxWire.stringField(out, field, s);
        return this;
    }

    Protobuf message(int field, Protobuf m) {
        return bytes(field, m.toByteArray());
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }
}
