package io.metafed.sdk;

import io.metafed.model.train.InnerLoop;

/**
 * How a device adapts the global model θ to its own ratings: {@code steps} SGD steps at {@code learningRate},
 * each on a minibatch of up to {@code batchSize} ratings. Minibatches are consecutive slices of a permutation
 * of the stored ratings drawn from {@code seed}, reshuffled when used up (epochs); when {@code batchSize} is at
 * least the number of ratings every step uses them all, in store order. {@code steps = 0} keeps φ = θ.
 * <p>
 * For a model with private user parameters (the collaborative model), {@code reconstructUser} says whether the
 * device reconstructs them from its ratings before training the shared ones (Federated Reconstruction, the
 * default) or trains the shared ones with the user at the shared prior (plain FedAvg, which has no per-user
 * state). Models without private parameters ignore it.
 */
public record AdaptationConfig(int steps, float learningRate, int batchSize, long seed, boolean reconstructUser) {
    public AdaptationConfig {
        new InnerLoop.Config(steps, learningRate, batchSize, seed); // the one place these rules live
    }

    /** With user reconstruction. */
    public AdaptationConfig(int steps, float learningRate, int batchSize, long seed) {
        this(steps, learningRate, batchSize, seed, true);
    }

    /** The same settings as the shared inner loop's configuration. */
    public InnerLoop.Config innerLoop() {
        return new InnerLoop.Config(steps, learningRate, batchSize, seed);
    }

    /** Every step on all ratings, as in MeLU's local update; no randomness. */
    public static AdaptationConfig fullBatch(int steps, float learningRate) {
        return new AdaptationConfig(steps, learningRate, Integer.MAX_VALUE, 0L);
    }
}
