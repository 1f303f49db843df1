package io.metafed.model.nn;

/**
 * The device-side math of the {@link CollabConfig collaborative model}: θ is the shared vector of the layout,
 * z = [p_u, b_u] the private one. {@link CollabReference} is the plain-Java implementation, the ground truth for
 * gradient checks and parity tests; implementations document their own thread-safety.
 */
public interface CollabRuntime {
    ParamLayout layout();

    /** Predicted ratings of the batch's rows for the user whose private parameters are {@code z}. */
    float[] predict(float[] theta, float[] z, CollabBatch batch);

    /** The ridge reconstruction of z on {@code support} (weighted), toward θ's prior. */
    float[] reconstruct(float[] theta, CollabBatch support);

    /**
     * One SGD step on the shared parameters with z fixed: {@code out = θ − lr · ∇_θ loss} (the prior is not
     * changed). {@code out} may be {@code theta}.
     *
     * @return the loss at θ, before the step
     */
    double trainStep(float[] theta, float[] z, CollabBatch batch, float learningRate, float[] out);
}
