package io.metafed.model.train;

import io.metafed.model.Checks;
import io.metafed.model.data.Interaction;
import io.metafed.model.features.BatchEncoder;
import io.metafed.model.task.UserTask;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Reptile (Nichol et al. 2018) with all tasks in one place: the non-federated reference for FedReptile. Each
 * iteration samples {@code metaBatch} tasks, adapts a copy of θ on each with the {@link InnerLoop}, and moves
 * θ ← θ + ε · Σ nᵢ(φᵢ − θ) / Σ nᵢ, weighting tasks by rating count exactly as the coordinator weights clients.
 */
public final class CentralReptile {
    /** Meta-training hyperparameters. */
    public record Config(int metaBatch, InnerLoop.Config inner, double metaLearningRate, long seed) {
        public Config {
            Checks.positive(metaBatch, "metaBatch");
            Checks.positive(metaLearningRate, "metaLearningRate");
        }
    }

    private final InnerLoop innerLoop;
    private final BatchEncoder encoder;

    public CentralReptile(InnerLoop innerLoop, BatchEncoder encoder) {
        this.innerLoop = innerLoop;
        this.encoder = encoder;
    }

    /** Runs {@code iterations} meta-updates on {@code theta} in place. */
    public void train(float[] theta, List<UserTask> tasks, int iterations, Config config) {
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("tasks must not be empty");
        }
        SplittableRandom random = new SplittableRandom(config.seed());
        double[] sum = new double[theta.length];
        for (int it = 0; it < iterations; it++) {
            java.util.Arrays.fill(sum, 0);
            double weight = 0;
            for (int b = 0; b < config.metaBatch(); b++) {
                UserTask task = tasks.get(random.nextInt(tasks.size()));
                List<Interaction> data = new ArrayList<>(task.support());
                data.addAll(task.query());
                float[] phi = theta.clone();
                InnerLoop.Config inner = config.inner();
                innerLoop.adapt(phi, encoder.encode(data), new InnerLoop.Config(inner.steps(), inner.learningRate(),
                        inner.batchSize(), random.nextLong()));
                for (int i = 0; i < theta.length; i++) {
                    sum[i] += data.size() * (double) (phi[i] - theta[i]);
                }
                weight += data.size();
            }
            for (int i = 0; i < theta.length; i++) {
                theta[i] += (float) (config.metaLearningRate() * sum[i] / weight);
            }
        }
    }
}
