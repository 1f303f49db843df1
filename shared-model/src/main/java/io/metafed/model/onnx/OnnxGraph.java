package io.metafed.model.onnx;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A serialized ONNX model (ModelProto bytes) built for one parameter layout, with the names of its inputs
 * and outputs in declaration order.
 */
public record OnnxGraph(GraphKind kind, long layoutId, byte[] bytes, List<String> inputNames,
        List<String> outputNames) {
    public OnnxGraph {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length == 0) {
            throw new IllegalArgumentException("bytes must not be empty");
        }
        bytes = bytes.clone();
        inputNames = List.copyOf(inputNames);
        outputNames = List.copyOf(outputNames);
    }

    /** A copy of the model bytes, ready for {@code OrtEnvironment.createSession(byte[])}. */
    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OnnxGraph g && kind == g.kind && layoutId == g.layoutId && Arrays.equals(bytes, g.bytes)
                && inputNames.equals(g.inputNames) && outputNames.equals(g.outputNames);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, layoutId, Arrays.hashCode(bytes), inputNames, outputNames);
    }

    @Override
    public String toString() {
        return "OnnxGraph[" + kind.id() + ", layout=" + MetafedGraphs.hex(layoutId) + ", " + bytes.length
                + " bytes, inputs=" + inputNames + ", outputs=" + outputNames + "]";
    }
}
