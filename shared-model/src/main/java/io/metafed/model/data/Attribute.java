package io.metafed.model.data;

import java.util.List;
import java.util.Objects;

/**
 * A categorical or multi-hot attribute of users or items read from a generic attribute file: each profile holds
 * indices into {@code values} (one at most for categorical, any number for multi-hot; none when unknown).
 *
 * @param field feature field name, e.g. {@code i_genres} (see {@link io.metafed.model.features.FieldSpec})
 * @param column the column it came from
 */
public record Attribute(String field, String column, boolean multiHot, List<String> values) {
    public Attribute {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(column, "column");
        values = List.copyOf(values);
        if (values.isEmpty()) {
            throw new IllegalArgumentException("attribute " + column + " must have at least one value");
        }
    }
}
