package io.metafed.model.nn;

import io.metafed.model.Checks;
import io.metafed.model.features.FeatureSchema;
import java.util.List;
import java.util.Objects;

/**
 * Architecture of the MeLU-style rating model (family {@code melu}): one embedding table of width {@code embeddingDim} per input
 * field, the embeddings concatenated, then {@code hidden} ReLU layers, then a linear rating output.
 */
public record ModelConfig(FeatureSchema schema, int embeddingDim, List<Integer> hidden) implements ModelSpec {
    public static final String FAMILY = "melu";

    public static final int DEFAULT_EMBEDDING_DIM = 32;
    public static final List<Integer> DEFAULT_HIDDEN = List.of(64, 64);

    public ModelConfig {
        Objects.requireNonNull(schema, "schema");
        Checks.positive(embeddingDim, "embeddingDim");
        hidden = List.copyOf(hidden);
        if (hidden.isEmpty()) {
            throw new IllegalArgumentException("hidden must list at least one layer width");
        }
        for (int i = 0; i < hidden.size(); i++) {
            Checks.positive(hidden.get(i), "hidden[" + i + "]");
        }
    }

    /** MeLU's sizes: 32-d embeddings, two 64-unit ReLU layers. */
    public static ModelConfig melu(FeatureSchema schema) {
        return new ModelConfig(schema, DEFAULT_EMBEDDING_DIM, DEFAULT_HIDDEN);
    }

    /** Width of the concatenated embeddings, the input of the first dense layer. */
    public int concatWidth() {
        return schema.fields().size() * embeddingDim;
    }

    @Override
    public String family() {
        return FAMILY;
    }

    /** Canonical text form; two configs with equal descriptions have identical parameter layouts. */
    @Override
    public String describe() {
        StringBuilder sb = new StringBuilder("melu/v1;emb=").append(embeddingDim)
                .append(";fields=").append(schema.describe()).append(";hidden=");
        for (int i = 0; i < hidden.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(hidden.get(i));
        }
        return sb.toString();
    }
}
