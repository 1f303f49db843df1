package io.metafed.sdk;

import io.metafed.model.algorithm.FederatedAlgorithm;
import io.metafed.model.algorithm.LocalTraining;
import io.metafed.model.train.InnerLoop;

/**
 * How a device adapts the global model θ to its own ratings: {@code steps} SGD steps at {@code learningRate},
 * each on a minibatch of up to {@code batchSize} ratings. Minibatches are consecutive slices of a permutation
 * of the stored ratings drawn from {@code seed}, reshuffled when used up (epochs); when {@code batchSize} is at
 * least the number of ratings every step uses them all, in store order. {@code steps = 0} keeps φ = θ.
 * <p>
 * {@code algorithm} says what the steps are ({@link FederatedAlgorithm}; null: the model family's default,
 * FedReptile for MeLU and FedRecon for the collaborative model). For the collaborative model FedAvg trains the
 * shared parameters with the user at the shared prior and every other algorithm reconstructs the user first.
 * {@code metaStepSize} is FOMAML's and Meta-SGD's outer step β; the others ignore it.
 */
public record AdaptationConfig(FederatedAlgorithm algorithm, int steps, float learningRate, int batchSize, long seed,
                               float metaStepSize) {
    public AdaptationConfig {
        new InnerLoop.Config(steps, learningRate, batchSize, seed); // the one place these rules live
        if (!(metaStepSize > 0) || Float.isInfinite(metaStepSize)) {
            throw new IllegalArgumentException("metaStepSize must be positive and finite, found " + metaStepSize);
        }
    }

    /** The model family's default algorithm, β = the learning rate. */
    public AdaptationConfig(int steps, float learningRate, int batchSize, long seed) {
        this(null, steps, learningRate, batchSize, seed, learningRate);
    }

    /** What a round's {@code training} asks of a device holding {@code ratings} ratings, with its own seed. */
    public static AdaptationConfig of(LocalTraining training, int ratings, long seed) {
        return new AdaptationConfig(training.algorithm(), training.stepsFor(ratings), (float) training.learningRate(),
                training.batchSize(), seed, (float) training.metaStepSize());
    }

    /** The same settings as the shared inner loop's configuration. */
    public InnerLoop.Config innerLoop() {
        return new InnerLoop.Config(steps, learningRate, batchSize, seed);
    }

    /** This configuration for {@code other} (null: the model's default). */
    public AdaptationConfig withAlgorithm(FederatedAlgorithm other) {
        return new AdaptationConfig(other, steps, learningRate, batchSize, seed, metaStepSize);
    }

    /** {@link #algorithm}, or the default of the model the device runs. */
    FederatedAlgorithm algorithmFor(io.metafed.model.nn.ParamLayout layout) {
        return algorithm != null ? algorithm : FederatedAlgorithm.defaultFor(layout);
    }

    /** Every step on all ratings, as in MeLU's local update; no randomness. */
    public static AdaptationConfig fullBatch(int steps, float learningRate) {
        return new AdaptationConfig(steps, learningRate, Integer.MAX_VALUE, 0L);
    }
}
