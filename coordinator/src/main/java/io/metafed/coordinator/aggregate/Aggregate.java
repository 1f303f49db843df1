package io.metafed.coordinator.aggregate;

import io.metafed.model.Checks;
import io.metafed.model.nn.ParamVector;
import java.util.Objects;

/**
 * A completed aggregation: the candidate parameters, the optimizer state that goes with them and the ε that
 * produced them. Construction is the validation gate: an aggregate with a NaN or infinite parameter (for
 * example float overflow of θ + ε·Δ) cannot exist, so it can never replace the global model. The parameters are
 * an immutable {@link ParamVector}: a rule {@link #adopt}s the array it just computed, and the coordinator makes
 * the next model version from the same vector.
 */
public record Aggregate(ParamVector vector, OptimizerState state, double epsilon) {

    public Aggregate {
        Objects.requireNonNull(vector, "params");
        Objects.requireNonNull(state, "state");
        vector.requireFinite("aggregated params");
        Checks.finite(epsilon, "epsilon");
    }

    /** An aggregate over a copy of {@code params}. */
    public Aggregate(float[] params, OptimizerState state, double epsilon) {
        this(ParamVector.copyOf(Objects.requireNonNull(params, "params")), state, epsilon);
    }

    /** An aggregate that takes {@code params} over without a copy: the rule that computed it must not write it. */
    static Aggregate adopt(float[] params, OptimizerState state, double epsilon) {
        return new Aggregate(ParamVector.adopt(params), state, epsilon);
    }

    /** A copy of the parameters; {@link #vector()} reads them without one. */
    public float[] params() {
        return vector.toArray();
    }

    @Override
    public String toString() {
        return "Aggregate[params=float[" + vector.size() + "], state=" + state.getClass().getSimpleName()
                + ", epsilon=" + epsilon + "]";
    }
}
