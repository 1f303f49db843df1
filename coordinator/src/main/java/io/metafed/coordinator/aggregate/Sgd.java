package io.metafed.coordinator.aggregate;

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

    @Override
    public Map<String, String> describe() {
        return Map.of("optimizer", "sgd");
    }
}
