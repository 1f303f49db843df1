package io.metafed.model.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Accumulates one ONNX GraphProto: declared inputs and outputs, constant initializers and nodes (which must be
 * added in topological order). Every value gets a unique name; {@link #op} invents one from a hint.
 */
final class GraphBuilder {
    /** TensorProto.DataType values. */
    static final int FLOAT = 1;
    static final int INT64 = 7;
    static final int DOUBLE = 11;

    private final String name;
    private final List<ProtoWriter> nodes = new ArrayList<>();
    private final List<ProtoWriter> initializers = new ArrayList<>();
    private final List<ProtoWriter> inputs = new ArrayList<>();
    private final List<ProtoWriter> outputs = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private final Map<String, String> constants = new HashMap<>();

    GraphBuilder(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /** Declares a graph input; returns its name. */
    String input(String value, int elemType, Dim... shape) {
        inputs.add(valueInfo(claim(value), elemType, shape));
        return value;
    }

    /** Declares an existing value as a graph output. */
    void output(String value, int elemType, Dim... shape) {
        if (!names.contains(value)) {
            throw new IllegalArgumentException("output '" + value + "' is not a value of graph " + name);
        }
        outputs.add(valueInfo(value, elemType, shape));
    }

    /** A 1-D int64 constant (shapes, axes, slice bounds); equal constants are shared. */
    String int64s(long... values) {
        String key = "i64" + Arrays.toString(values);
        String existing = constants.get(key);
        if (existing != null) {
            return existing;
        }
        ByteBuffer raw = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        raw.asLongBuffer().put(values);
        String value = initializer(fresh("const"), INT64, new long[] {values.length}, raw.array());
        constants.put(key, value);
        return value;
    }

    /** An int64 scalar constant (shape []), e.g. a Gather index that drops the axis; equal constants are shared. */
    String int64Scalar(long v) {
        String key = "i64s:" + v;
        String existing = constants.get(key);
        if (existing != null) {
            return existing;
        }
        byte[] raw = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
        String value = initializer(fresh("const"), INT64, new long[0], raw);
        constants.put(key, value);
        return value;
    }

    /** A double constant of shape {@code dims} (row-major {@code values}); equal constants are shared. */
    String doubles(long[] dims, double... values) {
        long count = 1;
        for (long d : dims) {
            count *= d;
        }
        if (count != values.length) {
            throw new IllegalArgumentException("double constant of shape " + Arrays.toString(dims) + " needs " + count
                    + " values, found " + values.length);
        }
        String key = "f64" + Arrays.toString(dims) + Arrays.toString(values);
        String existing = constants.get(key);
        if (existing != null) {
            return existing;
        }
        ByteBuffer raw = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        raw.asDoubleBuffer().put(values);
        String value = initializer(fresh("const"), DOUBLE, dims.clone(), raw.array());
        constants.put(key, value);
        return value;
    }

    /** A float scalar constant (shape []); equal constants are shared. */
    String scalar(float v) {
        String key = "f32:" + Float.floatToRawIntBits(v);
        String existing = constants.get(key);
        if (existing != null) {
            return existing;
        }
        byte[] raw = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(v).array();
        String value = initializer(fresh("const"), FLOAT, new long[0], raw);
        constants.put(key, value);
        return value;
    }

    /** Adds a single-output node whose output gets a fresh name derived from {@code hint}. */
    String op(String opType, String hint, List<String> in, Attribute... attributes) {
        return ops(opType, List.of(fresh(hint)), in, attributes).get(0);
    }

    /** Adds a single-output node whose output has exactly the name {@code output}, e.g. a graph output. */
    String opNamed(String opType, String output, List<String> in, Attribute... attributes) {
        return ops(opType, List.of(claim(output)), in, attributes).get(0);
    }

    /** Adds a node with several outputs, named from {@code hint}. */
    List<String> opMulti(String opType, String hint, int count, List<String> in, Attribute... attributes) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(fresh(hint));
        }
        return ops(opType, out, in, attributes);
    }

    /** A name not yet used in this graph: {@code hint} itself if free, else {@code hint_<n>}. */
    String fresh(String hint) {
        String candidate = hint;
        for (int n = 1; names.contains(candidate); n++) {
            candidate = hint + "_" + n;
        }
        return claim(candidate);
    }

    /** GraphProto: node = 1, name = 2, initializer = 5, input = 11, output = 12. */
    ProtoWriter toProto() {
        ProtoWriter w = new ProtoWriter();
        nodes.forEach(n -> w.message(1, n));
        w.string(2, name);
        initializers.forEach(t -> w.message(5, t));
        inputs.forEach(i -> w.message(11, i));
        outputs.forEach(o -> w.message(12, o));
        return w;
    }

    private List<String> ops(String opType, List<String> out, List<String> in, Attribute... attributes) {
        for (String i : in) {
            if (!names.contains(i)) {
                throw new IllegalArgumentException(opType + " input '" + i + "' is not defined yet in " + name);
            }
        }
        // NodeProto: input = 1, output = 2, name = 3, op_type = 4, attribute = 5.
        ProtoWriter node = new ProtoWriter();
        in.forEach(i -> node.string(1, i));
        out.forEach(o -> node.string(2, o));
        node.string(3, opType + "_" + nodes.size()).string(4, opType);
        for (Attribute a : attributes) {
            node.message(5, a.toProto());
        }
        nodes.add(node);
        return out;
    }

    /** TensorProto: dims = 1, data_type = 2, name = 8, raw_data = 9 (little-endian). */
    private String initializer(String value, int elemType, long[] dims, byte[] raw) {
        initializers.add(new ProtoWriter().int64s(1, dims).int64(2, elemType).string(8, value).bytes(9, raw));
        return value;
    }

    /** ValueInfoProto{name = 1, type = 2} → TypeProto{tensor_type = 1} → {elem_type = 1, shape = 2}. */
    private static ProtoWriter valueInfo(String value, int elemType, Dim... shape) {
        ProtoWriter dims = new ProtoWriter();
        for (Dim d : shape) {
            dims.message(1, d.toProto());
        }
        ProtoWriter tensor = new ProtoWriter().int64(1, elemType).message(2, dims);
        return new ProtoWriter().string(1, value).message(2, new ProtoWriter().message(1, tensor));
    }

    private String claim(String value) {
        if (value.isEmpty() || !names.add(value)) {
            throw new IllegalArgumentException("value name must be non-empty and unique, found '" + value + "'");
        }
        return value;
    }
}
