package io.metafed.model.train;

import io.metafed.model.Checks;
import io.metafed.model.Randoms;
import io.metafed.model.data.Interaction;
import io.metafed.model.features.BatchEncoder;
import io.metafed.model.nn.Batch;
import io.metafed.model.nn.ModelRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The inner loop of meta-learning, shared by devices, simulators and central references: {@code steps} SGD
 * steps on minibatches of one task's ratings. Minibatches walk a seeded shuffle of the ratings, reshuffling
 * after each pass; a batch size at least the task size means full-batch steps.
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
    private final BatchEncoder encoder;

    public InnerLoop(ModelRuntime runtime, BatchEncoder encoder) {
        this.runtime = runtime;
        this.encoder = encoder;
    }

    /**
     * Adapts {@code params} in place.
     *
     * @return the loss of each step's minibatch before that step
     */
    public double[] adapt(float[] params, List<Interaction> data, Config config) {
        if (data.isEmpty()) {
            throw new IllegalArgumentException("no ratings to adapt on");
        }
        double[] losses = new double[config.steps()];
        if (config.batchSize() >= data.size()) {
            Batch full = encoder.encode(data);
            for (int s = 0; s < config.steps(); s++) {
                losses[s] = runtime.sgdStep(params, full, config.learningRate(), params);
            }
            return losses;
        }
        SplittableRandom random = new SplittableRandom(config.seed());
        List<Interaction> order = new ArrayList<>(data);
        Randoms.shuffle(order, random);
        int cursor = 0;
        for (int s = 0; s < config.steps(); s++) {
            if (cursor + config.batchSize() > order.size()) {
                Randoms.shuffle(order, random);
                cursor = 0;
            }
            Batch batch = encoder.encode(order.subList(cursor, cursor + config.batchSize()));
            cursor += config.batchSize();
            losses[s] = runtime.sgdStep(params, batch, config.learningRate(), params);
        }
        return losses;
    }
}
