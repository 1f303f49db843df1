package io.metafed.coordinator.server;

import io.metafed.model.features.FeatureSchema;
import io.metafed.model.nn.CollabConfig;
import io.metafed.model.nn.CollabInitializer;
import io.metafed.model.nn.ModelConfig;
import io.metafed.model.nn.ParamInitializer;
import io.metafed.model.nn.ParamLayout;
import java.util.Arrays;
import java.util.Objects;

/**
 * What a federation learns: the layout the coordinator serves, aggregates and checkpoints (only its shared
 * parameters θ; a collaborative model's private user parameters never reach the coordinator), and how θ₀, the
 * model of version 0, is made. θ₀ is used only while the data directory holds no checkpoint.
 *
 * @param layout     the served model's parameter layout
 * @param meanRating what θ₀ predicts before any training (MeLU's output bias, the collaborative model's μ); unused
 *                   when {@code initial} is given
 * @param initial    an explicit θ₀ (e.g. the one the simulator made for its run), or null to initialize from the
 *                   federation's seed with the family's initializer
 */
public record ServedModel(ParamLayout layout, float meanRating, float[] initial) {
    /** MovieLens-100K's mean rating, so an untrained θ₀ predicts the global mean. */
    public static final float DEFAULT_MEAN_RATING = 3.53f;

    public ServedModel {
        Objects.requireNonNull(layout, "layout");
        if (!Float.isFinite(meanRating)) {
            throw new IllegalArgumentException("meanRating must be finite, found " + meanRating);
        }
        if (initial != null) {
            if (initial.length != layout.size()) {
                throw new IllegalArgumentException("initial parameters must have the layout's " + layout.size()
                        + " shared values, found " + initial.length);
            }
            for (int i = 0; i < initial.length; i++) {
                if (!Float.isFinite(initial[i])) {
                    throw new IllegalArgumentException("initial parameter " + i + " must be finite, found "
                            + initial[i]);
                }
            }
            initial = initial.clone();
        }
    }

    /** MeLU on the standard schema with MovieLens vocabularies: no catalogue needed. */
    public static ServedModel melu(int occupations, int genres) {
        return new ServedModel(ParamLayout.of(ModelConfig.melu(FeatureSchema.standard(occupations, genres))),
                DEFAULT_MEAN_RATING, null);
    }

    /** The collaborative model of {@code config}, θ₀ from the federation's seed. */
    public static ServedModel collab(CollabConfig config, float meanRating) {
        return new ServedModel(ParamLayout.of(config), meanRating, null);
    }

    /** A model whose θ₀ was made elsewhere (the simulator hands the embedded coordinator its own). */
    public static ServedModel withInitial(ParamLayout layout, float[] theta0) {
        return new ServedModel(layout, DEFAULT_MEAN_RATING, Objects.requireNonNull(theta0, "theta0"));
    }

    @Override
    public float[] initial() {
        return initial == null ? null : initial.clone();
    }

    public String family() {
        return layout.spec().family();
    }

    /** θ₀: the given one, or the family's seeded initialization. */
    public float[] initialParams(long seed) {
        if (initial != null) {
            return initial.clone();
        }
        return layout.spec() instanceof CollabConfig ? CollabInitializer.initialize(layout, seed, meanRating)
                : ParamInitializer.initialize(layout, seed, meanRating);
    }

    /** The layout's description, its id and size, for logs and operator messages. */
    public String describe() {
        return layout.spec().describe() + " (layout " + String.format("%016x", layout.id()) + ", " + layout.size()
                + " shared parameters)";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ServedModel m && layout.id() == m.layout.id() && meanRating == m.meanRating
                && Arrays.equals(initial, m.initial);
    }

    @Override
    public int hashCode() {
        return Objects.hash(layout.id(), meanRating, Arrays.hashCode(initial));
    }

    @Override
    public String toString() {
        return "ServedModel[" + describe() + (initial == null ? ", seeded θ₀" : ", given θ₀") + "]";
    }
}
