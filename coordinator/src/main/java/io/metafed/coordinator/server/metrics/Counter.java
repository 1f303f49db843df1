package io.metafed.coordinator.server.metrics;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;

/** A monotonically increasing count, optionally split by label values (rendered in sorted label order). */
public final class Counter extends Metric {
    private final List<String> labelNames;
    private final Map<String, LongAdder> series = new ConcurrentSkipListMap<>();

    Counter(String name, String help, List<String> labelNames) {
        super(name, help, "counter");
        this.labelNames = List.copyOf(labelNames);
        if (labelNames.isEmpty()) {
            series.put("", new LongAdder());
        }
    }

    public void inc(String... labelValues) {
        add(1, labelValues);
    }

    public void add(long amount, String... labelValues) {
        if (amount < 0) {
            throw new IllegalArgumentException("counter " + name() + " can only grow, found increment " + amount);
        }
        series.computeIfAbsent(key(labelValues), k -> new LongAdder()).add(amount);
    }

    public long value(String... labelValues) {
        LongAdder adder = series.get(key(labelValues));
        return adder == null ? 0 : adder.sum();
    }

    private String key(String[] values) {
        if (values.length != labelNames.size()) {
            throw new IllegalArgumentException("counter " + name() + " needs labels " + labelNames + ", found "
                    + values.length + " values");
        }
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            key.append(i == 0 ? "{" : ",").append(labelNames.get(i)).append("=\"")
                    .append(escapeLabel(values[i])).append('"');
        }
        return values.length == 0 ? "" : key.append('}').toString();
    }

    @Override
    void samples(StringBuilder out) {
        series.forEach((labels, adder) -> out.append(name()).append(labels).append(' ').append(adder.sum())
                .append('\n'));
    }
}
