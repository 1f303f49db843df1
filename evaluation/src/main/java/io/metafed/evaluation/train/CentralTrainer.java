package io.metafed.evaluation.train;

import io.metafed.model.Checks;
import io.metafed.model.Randoms;
import io.metafed.model.data.Interaction;
import io.metafed.model.features.BatchEncoder;
import io.metafed.model.nn.ModelRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Centralized (non-federated) minibatch SGD on pooled ratings: the reference point that shows what the model
 * can learn when privacy is not a constraint.
 */
public final class CentralTrainer {
    /** Training hyperparameters. */
    public record Config(int epochs, int batchSize, float learningRate, long seed) {
        public Config {
            Checks.positive(epochs, "epochs");
            Checks.positive(batchSize, "batchSize");
            Checks.positive(learningRate, "learningRate");
        }
    }

    private final ModelRuntime runtime;
    private final BatchEncoder encoder;

    public CentralTrainer(ModelRuntime runtime, BatchEncoder encoder) {
        this.runtime = runtime;
        this.encoder = encoder;
    }

    /**
     * Trains {@code params} in place.
     *
     * @return mean training loss of each epoch
     */
    public double[] train(float[] params, List<Interaction> data, Config config) {
        if (data.isEmpty()) {
            throw new IllegalArgumentException("training data must not be empty");
        }
        SplittableRandom random = new SplittableRandom(config.seed());
        List<Interaction> order = new ArrayList<>(data);
        double[] epochLoss = new double[config.epochs()];
        for (int e = 0; e < config.epochs(); e++) {
            Randoms.shuffle(order, random);
            double sum = 0;
            int batches = 0;
            for (int start = 0; start < order.size(); start += config.batchSize()) {
                List<Interaction> chunk = order.subList(start, Math.min(order.size(), start + config.batchSize()));
                sum += runtime.sgdStep(params, encoder.encode(chunk), config.learningRate(), params);
                batches++;
            }
            epochLoss[e] = sum / batches;
        }
        return epochLoss;
    }
}
