package io.metafed.model.features;

import io.metafed.model.Checks;
import java.util.List;
import java.util.Objects;

/**
 * One categorical input field of the model: a one-hot (or, for {@code multiHot}, a mean-pooled multi-hot)
 * block of {@code size} columns in the feature matrix, with its own embedding table.
 *
 * @param bucketEdges for a bucketed numeric field (the release year): the ascending edges e₁ &lt; … &lt; e_k;
 *                    column 0 is "unknown", column j holds values in [e_{j−1}, e_j) with e₀ = −∞, e_{k+1} = +∞, so
 *                    {@code size == k + 2}. Empty for plain categorical fields (and for the fixed legacy year
 *                    buckets of {@link FeatureEncoder#yearBucket}). Part of the schema so every device buckets alike.
 */
public record FieldSpec(String name, int size, boolean multiHot, List<Integer> bucketEdges) {
    public FieldSpec {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("field name must match [a-z][a-z0-9_]*, found '" + name + "'");
        }
        Checks.positive(size, "size of field " + name);
        bucketEdges = List.copyOf(bucketEdges);
        if (!bucketEdges.isEmpty()) {
            if (size != bucketEdges.size() + 2) {
                throw new IllegalArgumentException("field " + name + " with " + bucketEdges.size()
                        + " bucket edges must have size " + (bucketEdges.size() + 2) + ", found " + size);
            }
            for (int i = 1; i < bucketEdges.size(); i++) {
                if (bucketEdges.get(i) <= bucketEdges.get(i - 1)) {
                    throw new IllegalArgumentException("bucket edges of field " + name
                            + " must be strictly ascending, found " + bucketEdges);
                }
            }
        }
    }

    public FieldSpec(String name, int size, boolean multiHot) {
        this(name, size, multiHot, List.of());
    }

    /** A bucketed field over {@code edges} (unknown + one bucket more than edges). */
    public static FieldSpec bucketed(String name, List<Integer> edges) {
        return new FieldSpec(name, edges.size() + 2, false, edges);
    }

    /** Canonical text form: {@code name:size}, {@code m} when multi-hot, edges in angle brackets. */
    String describe() {
        StringBuilder sb = new StringBuilder(name).append(':').append(size).append(multiHot ? "m" : "");
        if (!bucketEdges.isEmpty()) {
            sb.append('<');
            for (int i = 0; i < bucketEdges.size(); i++) {
                sb.append(i == 0 ? "" : "|").append(bucketEdges.get(i));
            }
            sb.append('>');
        }
        return sb.toString();
    }
}
