package io.metafed.coordinator.aggregate;

import io.metafed.model.nn.ParamVector;
import java.util.Map;

/** step = ε·g: with g = −mean Δ this is plain Reptile, θ ← θ + ε·mean Δ. Keeps no state. */
public record Sgd() implements ServerOptimizer {

    @Override
    public OptimizerState initialState(int size) {
        return OptimizerState.Empty.INSTANCE;
    }

    @Override
    public Step step(double[] gradient, double lr, OptimizerState state) {
        OptimizerChecks.expect(state, OptimizerState.Empty.class, 0);
        double[] update = new double[gradient.length];
        for (int j = 0; j < update.length; j++) {
            update[j] = lr * gradient[j];
        }
        return new Step(update, state);
    }

    /**
     * θ − {@link #step}(−mean, lr) for the mean of {@code sum}, rounded to float: what {@link Reptile} computes from
     * {@link WeightedSum#mean()} and {@link #step}, with the same double operations per entry in the same order
     * (mean = Σwx / Σw, g = −mean, update = lr · g, θ − update), so the same floats, in one pass and without the three
     * θ-sized double arrays. A round's close runs while the simulator's workers wait for the next θ.
     */
    float[] descend(ParamVector theta, WeightedSum sum, double lr, OptimizerState state) {
        OptimizerChecks.expect(state, OptimizerState.Empty.class, 0);
        theta.requireSize(sum.size(), "theta");
        double[] sums = sum.sums();
        double total = sum.totalWeight();
        float[] next = new float[sums.length];
        for (int j = 0; j < next.length; j++) {
            double gradient = -(sums[j] / total);
            double update = lr * gradient;
            next[j] = (float) (theta.get(j) - update);
        }
        return next;
    }

    @Override
    public Map<String, String> describe() {
        return Map.of("optimizer", "sgd");
    }
}
