package io.metafed.model.onnx;

import java.util.Objects;

/** One dimension of a declared graph input or output: a fixed size, or a symbol such as the batch size. */
record Dim(long value, String symbol) {
    Dim {
        if (symbol == null) {
            if (value < 0) {
                throw new IllegalArgumentException("fixed dimension must be >= 0, found " + value);
            }
        } else if (symbol.isEmpty() || value != -1) {
            throw new IllegalArgumentException("symbolic dimension needs a non-empty symbol and value -1, found '"
                    + symbol + "' and " + value);
        }
    }

    static Dim of(long value) {
        return new Dim(value, null);
    }

    static Dim symbolic(String symbol) {
        return new Dim(-1, Objects.requireNonNull(symbol, "symbol"));
    }

    /** TensorShapeProto.Dimension: dim_value = 1, dim_param = 2. */
    ProtoWriter toProto() {
        ProtoWriter w = new ProtoWriter();
        return symbol == null ? w.int64(1, value) : w.string(2, symbol);
    }
}
