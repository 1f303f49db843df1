package io.metafed.coordinator.aggregate;

import io.metafed.model.Checks;
import java.util.Arrays;
import java.util.Objects;

/**
 * A completed aggregation: the candidate parameters, the optimizer state that goes with them and the ε that
 * produced them. Construction is the validation gate: an aggregate with a NaN or infinite parameter (for
 * example float overflow of θ + ε·Δ) cannot exist, so it can never replace the global model.
 */
public record Aggregate(float[] params, OptimizerState state, double epsilon) {

    public Aggregate {
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(state, "state");
        Checks.allFinite(params, "aggregated params");
        Checks.finite(epsilon, "epsilon");
        params = params.clone();
    }

    @Override
    public float[] params() {
        return params.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Aggregate a && Arrays.equals(params, a.params) && state.equals(a.state)
                && Double.compare(epsilon, a.epsilon) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(params), state, epsilon);
    }

    @Override
    public String toString() {
        return "Aggregate[params=float[" + params.length + "], state=" + state.getClass().getSimpleName()
                + ", epsilon=" + epsilon + "]";
    }
}
