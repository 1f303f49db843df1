package io.metafed.simulation.eval;

import io.metafed.evaluation.task.Partition;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One measurement: a model's query metrics in one partition after {@code steps} adaptation steps (or
 * {@link #RECONSTRUCTED}), at
 * {@code round} of run {@code seed}.
 */
public record EvalPoint(String model, long seed, int round, Partition partition, int steps,
                        Map<String, Double> metrics) {
    /**
     * {@code steps} of a collaborative model whose private user parameters were reconstructed in closed form on the
     * device's ratings (no gradient steps).
     */
    public static final int RECONSTRUCTED = -1;

    public EvalPoint {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(partition, "partition");
        // In the producer's order (MAE, RMSE, then the ranking metrics): Map.copyOf's iteration order changes from one
        // JVM to the next, and results.json would list the same run's keys differently each time.
        Map<String, Double> ordered = new LinkedHashMap<>();
        metrics.forEach((name, value) -> ordered.put(Objects.requireNonNull(name, "metric name"),
                Objects.requireNonNull(value, () -> "metric " + name)));
        metrics = Collections.unmodifiableMap(ordered);
    }
}
