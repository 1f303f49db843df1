package io.metafed.coordinator.aggregate;

import java.util.Map;

/**
 * How the server turns the meta-gradient g = −mean Δ into a parameter step: θ ← θ − step(g, ε). With
 * {@link Sgd} the step is ε·g and the update is exactly Reptile's θ + ε·mean Δ; {@link Momentum} and
 * {@link Adam} are the adaptive server optimizers of Reddi et al., "Adaptive Federated Optimization" (2021).
 * Implementations are pure: they never mutate their inputs.
 */
public sealed interface ServerOptimizer permits Sgd, Momentum, Adam {

    OptimizerState initialState(int size);

    /**
     * The step for meta-gradient {@code gradient} and learning rate {@code lr}, with the state to adopt if the
     * step is applied.
     */
    Step step(double[] gradient, double lr, OptimizerState state);

    /** Parameters for provenance, keys prefixed {@code optimizer.}. */
    Map<String, String> describe();

    /**
     * A step and the optimizer state that follows it. {@code update} is a freshly allocated array handed to
     * the caller, so it is not copied.
     */
    record Step(double[] update, OptimizerState next) {
        public Step {
            if (update == null || next == null) {
                throw new IllegalArgumentException("update and next must not be null");
            }
        }
    }
}
