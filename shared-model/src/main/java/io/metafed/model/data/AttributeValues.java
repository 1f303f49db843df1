package io.metafed.model.data;

import java.util.Arrays;

/**
 * A profile's values of its dataset's generic {@link Attribute}s, in the dataset's attribute order: for each
 * attribute the indices of its values that apply (empty when unknown). Immutable.
 */
public final class AttributeValues {
    public static final AttributeValues NONE = new AttributeValues(new int[0][]);
    private final int[][] indices;

    public AttributeValues(int[][] indices) {
        this.indices = new int[indices.length][];
        for (int a = 0; a < indices.length; a++) {
            this.indices[a] = indices[a].clone();
            for (int v : indices[a]) {
                if (v < 0) {
                    throw new IllegalArgumentException("attribute " + a + " value index must be >= 0, found " + v);
                }
            }
        }
    }

    /** Number of attributes. */
    public int count() {
        return indices.length;
    }

    /** Value indices of attribute {@code attribute}. */
    public int[] of(int attribute) {
        return indices[attribute].clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AttributeValues other && Arrays.deepEquals(indices, other.indices);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(indices);
    }

    @Override
    public String toString() {
        return Arrays.deepToString(indices);
    }
}
