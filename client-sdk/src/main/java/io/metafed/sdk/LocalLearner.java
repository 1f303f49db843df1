package io.metafed.sdk;

import io.metafed.model.nn.Batch;

/**
 * The device half of one {@link io.metafed.model.algorithm.FederatedAlgorithm} for a model without private
 * parameters: what the device does with θ and its ratings in a round, and how it personalizes θ for scoring.
 * Package-private because it handles the encoded private ratings; only Δ and losses leave through
 * {@link LocalUpdate}. {@link LocalLearners} maps each algorithm to its learner.
 */
interface LocalLearner {
    /**
     * φ, the shared vector after this device's round (Δ = φ − θ is what it sends), the model it scores with
     * afterwards, and losses for monitoring.
     */
    record Result(float[] phi, float[] personalized, double lossBefore, double lossAfter) {
    }

    /**
     * One round's local work on {@code data}; {@code theta} is not modified.
     *
     * @throws IllegalStateException when the loss is no longer finite (the learning rate is too high)
     */
    Result train(float[] theta, Batch data, AdaptationConfig config);

    /** The model this device scores with after adapting {@code theta} to {@code data} ({@code config.steps()} steps). */
    float[] personalize(float[] theta, Batch data, AdaptationConfig config);
}
