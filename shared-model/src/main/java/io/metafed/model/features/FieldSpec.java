package io.metafed.model.features;

import io.metafed.model.Checks;
import java.util.Objects;

/**
 * One categorical input field of the model: a one-hot (or, for {@code multiHot}, a mean-pooled multi-hot)
 * block of {@code size} columns in the feature matrix, with its own embedding table.
 */
public record FieldSpec(String name, int size, boolean multiHot) {
    public FieldSpec {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("field name must match [a-z][a-z0-9_]*, found '" + name + "'");
        }
        Checks.positive(size, "size of field " + name);
    }
}
