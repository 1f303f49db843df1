package io.metafed.model.onnx;

import java.util.Objects;

/**
 * A node attribute of one of the kinds the Metafed graphs need: int, ints, float or string ({@code text}, only for
 * STRING attributes such as ScatterElements' {@code reduction}).
 */
record Attribute(String name, int type, long[] ints, float value, String text) {
    /** AttributeProto.AttributeType values. */
    static final int FLOAT = 1;
    static final int INT = 2;
    static final int STRING = 3;
    static final int INTS = 7;

    Attribute {
        Objects.requireNonNull(name, "name");
        if (type != FLOAT && type != INT && type != INTS && type != STRING) {
            throw new IllegalArgumentException("attribute type must be FLOAT, INT, INTS or STRING, found " + type);
        }
        ints = ints.clone();
        if (type == INT && ints.length != 1) {
            throw new IllegalArgumentException("INT attribute " + name + " needs exactly one value");
        }
        if ((type == STRING) != (text != null)) {
            throw new IllegalArgumentException("attribute " + name + " needs text exactly when it is a STRING");
        }
    }

    Attribute(String name, int type, long[] ints, float value) {
        this(name, type, ints, value, null);
    }

    static Attribute ofString(String name, String text) {
        return new Attribute(name, STRING, new long[0], 0f, Objects.requireNonNull(text, "text"));
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

    /** AttributeProto: name = 1, f = 2, i = 3, s = 4, ints = 8, type = 20. */
    ProtoWriter toProto() {
        ProtoWriter w = new ProtoWriter().string(1, name).int64(20, type);
        switch (type) {
            case FLOAT -> w.float32(2, value);
            case INT -> w.int64(3, ints[0]);
            case STRING -> w.string(4, text);
            default -> w.int64s(8, ints);
        }
        return w;
    }
}
