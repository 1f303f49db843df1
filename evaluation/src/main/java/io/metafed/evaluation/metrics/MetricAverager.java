package io.metafed.evaluation.metrics;

import io.metafed.model.Checks;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Averages named per-user metric values over users: feed each user's metrics with {@link #addAll}, then
 * read {@link #summaries()}. Welford's update keeps the variance accurate without storing the values.
 * Metrics keep the order in which they were first seen. Not thread-safe.
 */
public final class MetricAverager {
    private static final class Running {
        long count;
        double mean;
        double m2;

        void add(double x) {
            count++;
            double delta = x - mean;
            mean += delta / count;
            m2 += delta * (x - mean);
        }

        Summary summary() {
            return new Summary(count, mean, count > 1 ? Math.sqrt(Math.max(0, m2) / (count - 1)) : 0.0);
        }
    }

    private final Map<String, Running> metrics = new LinkedHashMap<>();

    public MetricAverager add(String metric, double value) {
        Objects.requireNonNull(metric, "metric");
        Checks.finite(value, metric);
        metrics.computeIfAbsent(metric, m -> new Running()).add(value);
        return this;
    }

    /** Adds one user's metrics, e.g. the result of {@link UserEvaluator#evaluate}. */
    public MetricAverager addAll(Map<String, Double> userMetrics) {
        Objects.requireNonNull(userMetrics, "userMetrics");
        userMetrics.forEach(this::add);
        return this;
    }

    public Summary summary(String metric) {
        Running r = metrics.get(metric);
        if (r == null) {
            throw new IllegalArgumentException("no values for metric '" + metric + "', known: " + metrics.keySet());
        }
        return r.summary();
    }

    public Map<String, Summary> summaries() {
        Map<String, Summary> out = new LinkedHashMap<>();
        metrics.forEach((name, r) -> out.put(name, r.summary()));
        return Collections.unmodifiableMap(out);
    }
}
