package io.metafed.sdk;

import io.metafed.model.Checks;

/**
 * How a device adapts the global model θ to its own ratings: {@code steps} SGD steps at {@code learningRate},
 * each on a minibatch of up to {@code batchSize} ratings. Minibatches are consecutive slices of a permutation
 * of the stored ratings drawn from {@code seed}, reshuffled when used up (epochs); when {@code batchSize} is at
 * least the number of ratings every step uses them all, in store order. {@code steps = 0} keeps φ = θ.
 */
public record AdaptationConfig(int steps, float learningRate, int batchSize, long seed) {
    public AdaptationConfig {
        Checks.nonNegative(steps, "steps");
        Checks.positive(learningRate, "learningRate");
        Checks.positive(batchSize, "batchSize");
    }

    /** Every step on all ratings, as in MeLU's local update; no randomness. */
    public static AdaptationConfig fullBatch(int steps, float learningRate) {
        return new AdaptationConfig(steps, learningRate, Integer.MAX_VALUE, 0L);
    }
}
