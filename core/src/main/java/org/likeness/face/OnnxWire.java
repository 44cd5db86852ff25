package org.likeness.face;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The protobuf wire format, just enough to read and write an ONNX model's fields ({@link PReluRewrite}); the writers
 * are public for the lab's TF.js importer, which writes whole ONNX models with them.
 */
public final class OnnxWire {
    private OnnxWire() {
    }

    /** One protobuf field: number, wire type, and its value (varint or fixed) or its bytes' span in the buffer. */
    record Field(int number, int wire, long value, int start, int end, int tagStart) {
        static List<Field> parse(byte[] b, int from, int to) {
            List<Field> out = new ArrayList<>();
            int[] at = {from};
            while (at[0] < to) {
                int tagStart = at[0];
                long key = varint(b, at);
                int number = (int) (key >>> 3);
                int wire = (int) (key & 7);
                switch (wire) {
                    case 0 -> out.add(new Field(number, wire, varint(b, at), at[0], at[0], tagStart));
                    case 1 -> {
                        out.add(new Field(number, wire, ByteBuffer.wrap(b, at[0], 8).order(ByteOrder.LITTLE_ENDIAN).getLong(), at[0], at[0] + 8, tagStart));
                        at[0] += 8;
                    }
                    case 2 -> {
                        int len = Math.toIntExact(varint(b, at));
                        if (len < 0 || at[0] + len > to) {
                            throw new IllegalArgumentException("field " + number + " runs past its message");
                        }
                        out.add(new Field(number, wire, len, at[0], at[0] + len, tagStart));
                        at[0] += len;
                    }
                    case 5 -> {
                        out.add(new Field(number, wire, ByteBuffer.wrap(b, at[0], 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL, at[0], at[0] + 4, tagStart));
                        at[0] += 4;
                    }
                    default -> throw new IllegalArgumentException("wire type " + wire + " of field " + number);
                }
            }
            if (at[0] != to) {
                throw new IllegalArgumentException("a field runs past its message");
            }
            return out;
        }

        static long varint(byte[] b, int[] at) {
            long r = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte c = b[at[0]++];
                r |= (long) (c & 0x7f) << shift;
                if (c >= 0) {
                    return r;
                }
            }
            throw new IllegalArgumentException("varint longer than 10 bytes");
        }

        String string(byte[] b) {
            return new String(b, start, end - start, StandardCharsets.UTF_8);
        }

        /** The field as it was, tag included. */
        void copyTo(byte[] b, ByteArrayOutputStream out) {
            out.write(b, tagStart, end - tagStart);
        }
    }

    public static void tag(ByteArrayOutputStream out, int number, int wire) {
        writeVarint(out, ((long) number << 3) | wire);
    }

    public static void writeVarint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7fL) != 0) {
            out.write((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    public static void varintField(ByteArrayOutputStream out, int number, long v) {
        tag(out, number, 0);
        writeVarint(out, v);
    }

    public static void bytesField(ByteArrayOutputStream out, int number, byte[] v) {
        tag(out, number, 2);
        writeVarint(out, v.length);
        out.writeBytes(v);
    }

    public static void stringField(ByteArrayOutputStream out, int number, String s) {
        bytesField(out, number, s.getBytes(StandardCharsets.UTF_8));
    }

    /** A 32-bit little-endian field (wire type 5), e.g. a float's bits. */
    public static void fixed32Field(ByteArrayOutputStream out, int number, int bits) {
        tag(out, number, 5);
        for (int i = 0; i < 4; i++) {
            out.write((bits >>> (8 * i)) & 0xFF);
        }
    }
}
