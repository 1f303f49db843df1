package io.metafed.coordinator.server.metrics;

import java.util.concurrent.atomic.AtomicLong;

/** A value that goes up and down; the last {@link #set} wins. */
public final class Gauge extends Metric {
    private final AtomicLong bits = new AtomicLong(Double.doubleToLongBits(0));

    Gauge(String name, String help) {
        super(name, help, "gauge");
    }

    public void set(double value) {
        bits.set(Double.doubleToLongBits(value));
    }

    public double value() {
        return Double.longBitsToDouble(bits.get());
    }

    @Override
    void samples(StringBuilder out) {
        out.append(name()).append(' ').append(format(value())).append('\n');
    }
}
