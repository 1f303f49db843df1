package io.metafed.simulation.eval;

import io.metafed.model.task.Partition;
import java.util.Map;
import java.util.Objects;

/**
 * One measurement: a model's query metrics in one partition after {@code steps} adaptation steps, at
 * {@code round} of run {@code seed}.
 */
public record EvalPoint(String model, long seed, int round, Partition partition, int steps,
                        Map<String, Double> metrics) {
    public EvalPoint {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(partition, "partition");
        metrics = Map.copyOf(metrics);
    }
}
