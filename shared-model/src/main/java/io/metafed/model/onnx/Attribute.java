package io.metafed.model.onnx;

import java.util.Objects;

/** A node attribute of one of the kinds the Metafed graphs need: int, ints or float. */
record Attribute(String name, int type, long[] ints, float value) {
    /** AttributeProto.AttributeType values. */
    static final int FLOAT = 1;
    static final int INT = 2;
    static final int INTS = 7;

    Attribute {
        Objects.requireNonNull(name, "name");
        if (type != FLOAT && type != INT && type != INTS) {
            throw new IllegalArgumentException("attribute type must be FLOAT, INT or INTS, found " + type);
        }
        ints = ints.clone();
        if (type == INT && ints.length != 1) {
            throw new IllegalArgumentException("INT attribute " + name + " needs exactly one value");
        }
    }

    static Attribute ofInt(String name, long value) {
        return new Attribute(name, INT, new long[] {value}, 0f);
    }

    static Attribute ofInts(String name, long... values) {
        return new Attribute(name, INTS, values, 0f);
    }

    static Attribute ofFloat(String name, float value) {
        return new Attribute(name, FLOAT, new long[0], value);
    }

    @Override
    public long[] ints() {
        return ints.clone();
    }

    /** AttributeProto: name = 1, f = 2, i = 3, ints = 8, type = 20. */
    ProtoWriter toProto() {
        ProtoWriter w = new ProtoWriter().string(1, name).int64(20, type);
        switch (type) {
            case FLOAT -> w.float32(2, value);
            case INT -> w.int64(3, ints[0]);
            default -> w.int64s(8, ints);
        }
        return w;
    }
}
