package io.metafed.model.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Minimal protocol-buffers encoder: varints, fixed32 and length-delimited fields. Nested messages are encoded
 * into their own writer first and then appended with {@link #message}, which is simple and fast enough for
 * graphs of a few kilobytes. Not thread-safe.
 */
final class ProtoWriter {
    /** Wire types of the protobuf encoding. */
    static final int VARINT = 0;
    static final int FIXED32 = 5;
    static final int LENGTH_DELIMITED = 2;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** Writes {@code value} as a base-128 varint; negative values take 10 bytes, as protobuf int64 requires. */
    ProtoWriter rawVarint(long value) {
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
        return this;
    }

    ProtoWriter tag(int field, int wireType) {
        if (field < 1 || field > (1 << 29) - 1) {
            throw new IllegalArgumentException("field must be in [1, 2^29-1], found " + field);
        }
        return rawVarint(((long) field << 3) | wireType);
    }

    /** An int32/int64/enum/bool field. */
    ProtoWriter int64(int field, long value) {
        return tag(field, VARINT).rawVarint(value);
    }

    /** A float field (wire type fixed32, little-endian IEEE 754). */
    ProtoWriter float32(int field, float value) {
        tag(field, FIXED32);
        int bits = Float.floatToRawIntBits(value);
        for (int i = 0; i < 4; i++) {
            out.write((bits >>> (8 * i)) & 0xFF);
        }
        return this;
    }

    ProtoWriter bytes(int field, byte[] value) {
        tag(field, LENGTH_DELIMITED).rawVarint(value.length);
        out.write(value, 0, value.length);
        return this;
    }

    ProtoWriter string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    /** An embedded message; written even when empty because presence matters (e.g. the shape of a scalar). */
    ProtoWriter message(int field, ProtoWriter nested) {
        return bytes(field, nested.toByteArray());
    }

    /**
     * A repeated int64 field, one tag per element: onnx.proto is proto2 and does not mark these fields packed,
     * so this is what protoc itself emits (parsers accept either form).
     */
    ProtoWriter int64s(int field, long[] values) {
        for (long v : values) {
            int64(field, v);
        }
        return this;
    }

    int size() {
        return out.size();
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }
}
