package io.metafed.coordinator.aggregate;

import io.metafed.model.nn.ParamVector;
import java.util.Map;

/**
 * How a round's client updates become the next global model. Rules are stateless values; per-run state lives
 * in {@link OptimizerState}, passed in and returned so the caller decides whether to adopt it. Every rule
 * writes into a new array; θ and Δ arrive as immutable {@link ParamVector}s, read in place. The {@code float[]}
 * overloads are for callers that hold arrays (tests, benchmarks, references) and copy them first.
 */
public sealed interface AggregationRule permits Reptile, FedAvg, DifferentiallyPrivate {

    /** Adds one validated client update (Δ = φ − θ, weight w) to the round's running sum. */
    void accumulate(WeightedSum sum, ParamVector theta, ParamVector delta, double weight);

    /** {@link #accumulate(WeightedSum, ParamVector, ParamVector, double)} over copies of the arrays. */
    default void accumulate(WeightedSum sum, float[] theta, float[] delta, double weight) {
        accumulate(sum, ParamVector.copyOf(theta), ParamVector.copyOf(delta), weight);
    }

    /**
     * Adds the already weighted sum of {@code count} updates, Σ wᵢΔᵢ with total weight Σ wᵢ, as produced by
     * secure aggregation: equal to calling {@link #accumulate} for each update, without ever seeing one.
     *
     * @throws IllegalStateException if the rule needs individual updates (per-client clipping under DP)
     */
    void accumulateSum(WeightedSum sum, ParamVector theta, double[] weightedDeltaSum, double totalWeight, int count);

    /** {@link #accumulateSum(WeightedSum, ParamVector, double[], double, int)} over a copy of {@code theta}. */
    default void accumulateSum(WeightedSum sum, float[] theta, double[] weightedDeltaSum, double totalWeight,
            int count) {
        accumulateSum(sum, ParamVector.copyOf(theta), weightedDeltaSum, totalWeight, count);
    }

    OptimizerState initialState(int size);

    /**
     * The next model from {@code theta} and the round's sum.
     *
     * @throws IllegalArgumentException if the result is not finite or the shapes disagree
     * @throws IllegalStateException if the sum is empty
     */
    Aggregate aggregate(ParamVector theta, WeightedSum sum, int round, OptimizerState state);

    /** {@link #aggregate(ParamVector, WeightedSum, int, OptimizerState)} over a copy of {@code theta}. */
    default Aggregate aggregate(float[] theta, WeightedSum sum, int round, OptimizerState state) {
        return aggregate(ParamVector.copyOf(theta), sum, round, state);
    }

    /** Hyperparameters for provenance. */
    Map<String, String> describe();
}
