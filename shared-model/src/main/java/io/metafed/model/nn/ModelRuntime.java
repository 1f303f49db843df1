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

    /**
     * Writes ∇loss(batch) at {@code params} into {@code gradient} (not {@code params}). The default takes it from
     * one step of size 1, ∇ = params − (params − ∇), which is exact up to float rounding of the step (about
     * 1e-7 · |params| absolute); runtimes with the gradient at hand override it.
     *
     * @return the loss at {@code params}
     */
    default double gradient(float[] params, Batch batch, float[] gradient) {
        double loss = sgdStep(params, batch, 1f, gradient);
        for (int i = 0; i < gradient.length; i++) {
            gradient[i] = params[i] - gradient[i];
        }
        return loss;
    }
}
