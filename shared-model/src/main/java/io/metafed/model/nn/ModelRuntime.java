package io.metafed.model.nn;

/**
 * What trainers and evaluators need from an implementation of the model's math: scoring and one SGD step.
 * {@link ReferenceModel} is the plain-Java implementation; the client SDK runs the same math as ONNX graphs.
 * Implementations document their own thread-safety.
 */
public interface ModelRuntime {
    ParamLayout layout();

    /** Predicted ratings for {@code n} feature rows. */
    float[] predict(float[] params, float[] features, int n);

    /**
     * Writes {@code params − lr · ∇loss(batch)} into {@code out} (which may be {@code params}).
     *
     * @return the loss at {@code params}, before the step
     */
    double sgdStep(float[] params, Batch batch, float learningRate, float[] out);
}
