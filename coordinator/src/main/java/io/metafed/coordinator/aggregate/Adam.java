package io.metafed.coordinator.aggregate;

import io.metafed.model.Checks;
import java.util.Map;

/**
 * Server Adam: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², step = ε·m̂ / (√v̂ + epsilon) with the bias corrections
 * m̂ = m / (1−β₁ᵗ), v̂ = v / (1−β₂ᵗ), t counting applied steps from 1. {@code epsilon} here is Adam's
 * denominator guard, not the Reptile step size (that is the learning rate passed to {@link #step}).
 */
public record Adam(double beta1, double beta2, double epsilon) implements ServerOptimizer {

    public Adam {
        OptimizerChecks.decayRate(beta1, "beta1");
        OptimizerChecks.decayRate(beta2, "beta2");
        Checks.positive(epsilon, "epsilon");
    }

    /** Kingma and Ba's defaults: β₁ = 0.9, β₂ = 0.999, epsilon = 1e-8. */
    public static Adam defaults() {
        return new Adam(0.9, 0.999, 1e-8);
    }

    @Override
    public OptimizerState initialState(int size) {
        Checks.positive(size, "size");
        return new State(new double[size], new double[size], 0);
    }

    @Override
    public Step step(double[] gradient, double lr, OptimizerState state) {
        State s = OptimizerChecks.expect(state, State.class, gradient.length);
        long t = s.steps + 1;
        double correction1 = 1 - Math.pow(beta1, t);
        double correction2 = 1 - Math.pow(beta2, t);
        double[] m = new double[gradient.length];
        double[] v = new double[gradient.length];
        double[] update = new double[gradient.length];
        for (int j = 0; j < gradient.length; j++) {
            double g = gradient[j];
            m[j] = beta1 * s.m[j] + (1 - beta1) * g;
            v[j] = beta2 * s.v[j] + (1 - beta2) * g * g;
            update[j] = lr * (m[j] / correction1) / (Math.sqrt(v[j] / correction2) + epsilon);
        }
        return new Step(update, new State(m, v, t));
    }

    @Override
    public Map<String, String> describe() {
        return Map.of("optimizer", "adam", "optimizer.beta1", Double.toString(beta1),
                "optimizer.beta2", Double.toString(beta2), "optimizer.epsilon", Double.toString(epsilon));
    }

    /** First and second moments and the number of steps applied; never mutated after construction. */
    public static final class State implements OptimizerState {
        private final double[] m;
        private final double[] v;
        private final long steps;

        State(double[] m, double[] v, long steps) {
            this.m = m;
            this.v = v;
            this.steps = steps;
        }

        @Override
        public int size() {
            return m.length;
        }

        @Override
        public String kind() {
            return "adam";
        }

        public double firstMoment(int index) {
            return m[index];
        }

        public double secondMoment(int index) {
            return v[index];
        }

        public long steps() {
            return steps;
        }

        /** The owned array itself, for {@link OptimizerStateFile} to encode; callers must not modify it. */
        double[] firstMoments() {
            return m;
        }

        /** The owned array itself, for {@link OptimizerStateFile} to encode; callers must not modify it. */
        double[] secondMoments() {
            return v;
        }
    }
}
