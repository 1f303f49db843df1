package io.metafed.coordinator.server.metrics;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A minimal in-house registry: counters and gauges rendered as Prometheus text 0.0.4. Enough for a handful of
 * server metrics without pulling a metrics library into the coordinator.
 */
public final class MetricRegistry {
    private final List<Metric> metrics = new CopyOnWriteArrayList<>();

    public Counter counter(String name, String help, String... labelNames) {
        return register(new Counter(name, help, List.of(labelNames)));
    }

    public Gauge gauge(String name, String help) {
        return register(new Gauge(name, help));
    }

    private <M extends Metric> M register(M metric) {
        for (Metric m : metrics) {
            if (m.name().equals(metric.name())) {
                throw new IllegalArgumentException("metric names must be unique, found " + metric.name() + " twice");
            }
        }
        metrics.add(metric);
        return metric;
    }

    /** Every metric in registration order, in the Prometheus text exposition format. */
    public String render() {
        StringBuilder out = new StringBuilder(1024);
        metrics.forEach(m -> m.render(out));
        return out.toString();
    }
}
