package io.metafed.model.train;

import io.metafed.model.Checks;
import io.metafed.model.nn.Batch;
import io.metafed.model.nn.ModelRuntime;

/**
 * The inner loop of meta-learning, shared by devices, simulators and central references: {@code steps} SGD
 * steps on minibatches of one task's encoded ratings, drawn by a {@link MinibatchSampler} (a seeded shuffle,
 * reshuffled each epoch; the whole batch every step when {@code batchSize} covers it).
 */
public final class InnerLoop {
    /** Inner-loop hyperparameters; {@code steps} may be 0 (no adaptation). */
    public record Config(int steps, float learningRate, int batchSize, long seed) {
        public Config {
            Checks.nonNegative(steps, "steps");
            Checks.positive(learningRate, "learningRate");
            Checks.positive(batchSize, "batchSize");
        }

        /** Full-batch steps. */
        public static Config fullBatch(int steps, float learningRate) {
            return new Config(steps, learningRate, Integer.MAX_VALUE, 0);
        }
    }

    private final ModelRuntime runtime;

    public InnerLoop(ModelRuntime runtime) {
        this.runtime = runtime;
    }

    /**
     * Adapts {@code params} in place.
     *
     * @return the loss of each step's minibatch before that step
     * @throws IllegalStateException if a loss is not finite (the learning rate is too high); {@code params} then
     *                               holds the diverged values, so callers adapt a copy
     */
    public double[] adapt(float[] params, Batch data, Config config) {
        MinibatchSampler sampler = new MinibatchSampler(data.size(), config.batchSize(), config.seed());
        double[] losses = new double[config.steps()];
        for (int s = 0; s < config.steps(); s++) {
            Batch batch = sampler.fullBatch() ? data : data.rows(sampler.next());
            losses[s] = runtime.sgdStep(params, batch, config.learningRate(), params);
            if (!Double.isFinite(losses[s])) {
                throw new IllegalStateException("adaptation diverged: loss at step " + (s + 1) + " is " + losses[s]
                        + " (learning rate " + config.learningRate() + " too high?)");
            }
        }
        return losses;
    }

    /** The weighted MSE Σw(ŷ−y)²/Σw of {@code params} on {@code batch}, the graphs' loss. */
    public double loss(float[] params, Batch batch) {
        float[] predicted = runtime.predict(params, batch.features(), batch.size());
        double sum = 0;
        double weights = 0;
        for (int r = 0; r < batch.size(); r++) {
            double residual = predicted[r] - batch.ratings()[r];
            sum += batch.weights()[r] * residual * residual;
            weights += batch.weights()[r];
        }
        return sum / weights;
    }
}
