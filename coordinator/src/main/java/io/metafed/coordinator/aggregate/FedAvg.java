package io.metafed.coordinator.aggregate;

import io.metafed.model.nn.ParamVector;
import java.util.Map;

/**
 * Federated averaging (McMahan et al., 2017) as the baseline: θ ← Σ wᵢφᵢ / Σ wᵢ, the weighted mean of the
 * clients' locally trained models. The wire carries Δᵢ = φᵢ − θ for every rule, so each φᵢ is reconstructed as
 * θ + Δᵢ in double and the models themselves are averaged. Algebraically Σ wᵢ(θ + Δᵢ) / Σ wᵢ = θ + Δ̄, i.e.
 * FedAvg equals {@link Reptile} with ε = 1 and {@link Sgd}; the two differ only in float rounding, which the
 * tests bound.
 */
public record FedAvg() implements AggregationRule {

    @Override
    public void accumulate(WeightedSum sum, ParamVector theta, ParamVector delta, double weight) {
        sum.addShifted(theta, delta, weight);
    }

    /** Σ wᵢ(θ + Δᵢ) = (Σ wᵢ)·θ + Σ wᵢΔᵢ, computed in double like {@link WeightedSum#addShifted}. */
    @Override
    public void accumulateSum(WeightedSum sum, ParamVector theta, double[] weightedDeltaSum, double totalWeight,
            int count) {
        theta.requireSize(weightedDeltaSum.length, "theta");
        double[] models = new double[theta.size()];
        for (int j = 0; j < models.length; j++) {
            models[j] = totalWeight * theta.get(j) + weightedDeltaSum[j];
        }
        sum.addWeightedSum(models, totalWeight, count);
    }

    @Override
    public OptimizerState initialState(int size) {
        return OptimizerState.Empty.INSTANCE;
    }

    @Override
    public Aggregate aggregate(ParamVector theta, WeightedSum sum, int round, OptimizerState state) {
        theta.requireSize(sum.size(), "theta");
        OptimizerChecks.expect(state, OptimizerState.Empty.class, 0);
        double[] mean = sum.mean();
        float[] next = new float[mean.length];
        for (int j = 0; j < next.length; j++) {
            next[j] = (float) mean[j];
        }
        return Aggregate.adopt(next, state, 1.0);
    }

    @Override
    public Map<String, String> describe() {
        return Map.of("rule", "fedavg");
    }
}
