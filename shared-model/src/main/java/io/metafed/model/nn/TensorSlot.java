package io.metafed.model.nn;

import io.metafed.model.Checks;
import java.util.Arrays;
import java.util.Objects;

/** A named tensor inside the flat parameter vector: {@code shape} elements starting at {@code offset}. */
public record TensorSlot(String name, int[] shape, int offset) {
    public TensorSlot {
        Objects.requireNonNull(name, "name");
        shape = shape.clone();
        if (shape.length == 0 || shape.length > 2) {
            throw new IllegalArgumentException("tensor " + name + " must have rank 1 or 2, found " + shape.length);
        }
        for (int d : shape) {
            Checks.positive(d, "dimension of tensor " + name);
        }
        Checks.nonNegative(offset, "offset of tensor " + name);
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    public int rows() {
        return shape[0];
    }

    public int cols() {
        return shape.length == 2 ? shape[1] : 1;
    }

    public int size() {
        return shape.length == 2 ? shape[0] * shape[1] : shape[0];
    }

    public int end() {
        return offset + size();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorSlot t && name.equals(t.name) && offset == t.offset && Arrays.equals(shape, t.shape);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, offset, Arrays.hashCode(shape));
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape) + "@" + offset;
    }
}
