package io.metafed.coordinator.aggregate;

import io.metafed.model.Checks;
import java.util.Map;

/**
 * Heavy-ball server momentum: v ← β·v + g, step = ε·v. Smooths the noisy per-round meta-gradient, whose
 * variance is high when few clients participate.
 */
public record Momentum(double beta) implements ServerOptimizer {

    public Momentum {
        OptimizerChecks.decayRate(beta, "beta");
    }

    @Override
    public OptimizerState initialState(int size) {
        return new State(new double[Checks.positive(size, "size")]);
    }

    @Override
    public Step step(double[] gradient, double lr, OptimizerState state) {
        State s = OptimizerChecks.expect(state, State.class, gradient.length);
        double[] velocity = new double[gradient.length];
        double[] update = new double[gradient.length];
        for (int j = 0; j < gradient.length; j++) {
            velocity[j] = beta * s.velocity[j] + gradient[j];
            update[j] = lr * velocity[j];
        }
        return new Step(update, new State(velocity));
    }

    @Override
    public Map<String, String> describe() {
        return Map.of("optimizer", "momentum", "optimizer.beta", Double.toString(beta));
    }

    /** The velocity v; never mutated after construction (the array is owned, not shared). */
    public static final class State implements OptimizerState {
        private final double[] velocity;

        State(double[] velocity) {
            this.velocity = velocity;
        }

        @Override
        public int size() {
            return velocity.length;
        }

        @Override
        public String kind() {
            return "momentum";
        }

        public double velocity(int index) {
            return velocity[index];
        }

        /** The owned array itself, for {@link OptimizerStateFile} to encode; callers must not modify it. */
        double[] velocity() {
            return velocity;
        }
    }
}
