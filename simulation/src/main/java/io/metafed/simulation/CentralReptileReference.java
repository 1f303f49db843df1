package io.metafed.simulation;

import io.metafed.coordinator.aggregate.Aggregate;
import io.metafed.coordinator.aggregate.AggregationRule;
import io.metafed.coordinator.aggregate.DifferentiallyPrivate;
import io.metafed.coordinator.aggregate.OptimizerState;
import io.metafed.coordinator.aggregate.WeightedSum;
import io.metafed.evaluation.task.UserTask;
import io.metafed.model.data.Interaction;
import io.metafed.model.features.BatchEncoder;
import io.metafed.model.train.InnerLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Reptile with every training task in one place: the non-federated reference for FedReptile. Each iteration
 * samples a meta-batch of tasks, adapts a copy of θ on each with the shared {@link InnerLoop}, and applies the
 * coordinator's own {@link AggregationRule} to the task updates weighted by rating count, so the only
 * differences from FedReptile are the missing coordinator, SDK and devices. Tasks are sampled with replacement,
 * except under differential privacy, where a task drawn twice would count twice and double its sensitivity.
 * Not thread-safe.
 */
final class CentralReptileReference {
    private final InnerLoop innerLoop;
    private final BatchEncoder encoder;
    private final AggregationRule rule;
    private final List<UserTask> tasks;
    private final SplittableRandom random;
    private float[] theta;
    private OptimizerState state;
    private int iteration;

    CentralReptileReference(InnerLoop innerLoop, BatchEncoder encoder, AggregationRule rule, List<UserTask> tasks,
                            float[] theta0, long seed) {
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("tasks must not be empty");
        }
        this.innerLoop = innerLoop;
        this.encoder = encoder;
        this.rule = rule;
        this.tasks = List.copyOf(tasks);
        this.random = new SplittableRandom(seed);
        this.theta = theta0.clone();
        this.state = rule.initialState(theta0.length);
    }

    /** One meta-update on {@code metaBatch} tasks. */
    void step(int metaBatch, InnerLoop.Config inner) {
        WeightedSum sum = new WeightedSum(theta.length);
        int[] distinct = rule instanceof DifferentiallyPrivate ? sampleWithoutReplacement(metaBatch) : null;
        for (int b = 0; b < metaBatch; b++) {
            UserTask task = tasks.get(distinct != null ? distinct[b] : random.nextInt(tasks.size()));
            List<Interaction> data = new ArrayList<>(task.support());
            data.addAll(task.query());
            float[] phi = theta.clone();
            innerLoop.adapt(phi, encoder.encode(data), new InnerLoop.Config(inner.steps(), inner.learningRate(),
                    inner.batchSize(), random.nextLong()));
            float[] delta = new float[phi.length];
            for (int i = 0; i < delta.length; i++) {
                delta[i] = phi[i] - theta[i];
            }
            rule.accumulate(sum, theta, delta, data.size());
        }
        Aggregate next = rule.aggregate(theta, sum, iteration++, state);
        theta = next.params();
        state = next.state();
    }

    /** The first {@code k} positions of a partial Fisher–Yates shuffle of the task indices. */
    private int[] sampleWithoutReplacement(int k) {
        if (k > tasks.size()) {
            throw new IllegalArgumentException("cannot sample " + k + " distinct tasks from " + tasks.size());
        }
        int[] index = new int[tasks.size()];
        for (int i = 0; i < index.length; i++) {
            index[i] = i;
        }
        for (int i = 0; i < k; i++) {
            int j = i + random.nextInt(index.length - i);
            int t = index[i];
            index[i] = index[j];
            index[j] = t;
        }
        return java.util.Arrays.copyOf(index, k);
    }

    float[] theta() {
        return theta.clone();
    }
}
