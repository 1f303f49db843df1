package io.metafed.coordinator.aggregate;

import io.metafed.model.nn.ParamVector;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Reptile (Nichol et al., 2018) across clients: with the weighted mean update Δ̄ = Σ wᵢΔᵢ / Σ wᵢ and
 * meta-gradient g = −Δ̄, θ ← θ − optimizer.step(g, ε_r). With {@link Sgd} that is θ ← θ + ε_r·Δ̄.
 */
public record Reptile(EpsilonSchedule epsilon, ServerOptimizer optimizer) implements AggregationRule {

    public Reptile {
        Objects.requireNonNull(epsilon, "epsilon");
        Objects.requireNonNull(optimizer, "optimizer");
    }

    /** Plain Reptile: θ ← θ + ε·Δ̄ with a constant ε. */
    public static Reptile constant(double epsilon) {
        return new Reptile(new EpsilonSchedule.Constant(epsilon), new Sgd());
    }

    @Override
    public void accumulate(WeightedSum sum, ParamVector theta, ParamVector delta, double weight) {
        sum.add(delta, weight);
    }

    @Override
    public void accumulateSum(WeightedSum sum, ParamVector theta, double[] weightedDeltaSum, double totalWeight,
            int count) {
        sum.addWeightedSum(weightedDeltaSum, totalWeight, count);
    }

    @Override
    public OptimizerState initialState(int size) {
        return optimizer.initialState(size);
    }

    @Override
    public Aggregate aggregate(ParamVector theta, WeightedSum sum, int round, OptimizerState state) {
        theta.requireSize(sum.size(), "theta");
        double lr = epsilon.at(round);
        if (optimizer instanceof Sgd sgd) {
            // Plain Reptile: the same floats as the general path below, in one pass.
            return Aggregate.adopt(sgd.descend(theta, sum, lr, state), state, lr);
        }
        double[] gradient = sum.mean();
        for (int j = 0; j < gradient.length; j++) {
            gradient[j] = -gradient[j];
        }
        ServerOptimizer.Step step = optimizer.step(gradient, lr, state);
        double[] update = step.update();
        float[] next = new float[theta.size()];
        for (int j = 0; j < next.length; j++) {
            next[j] = (float) (theta.get(j) - update[j]);
        }
        return Aggregate.adopt(next, step.next(), lr);
    }

    @Override
    public Map<String, String> describe() {
        Map<String, String> map = new TreeMap<>(epsilon.describe());
        map.putAll(optimizer.describe());
        map.put("rule", "reptile");
        return map;
    }
}
