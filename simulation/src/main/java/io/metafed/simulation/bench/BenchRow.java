package io.metafed.simulation.bench;

import java.util.Objects;

/**
 * One figure of the summary table.
 *
 * @param section       Client, Simulation or Coordinator
 * @param metric        what was measured, with its parameters
 * @param value         the figure (a median when timed), finite and positive
 * @param unit          its unit
 * @param spreadPercent interquartile range / median of the timed samples, NaN when not a timing
 * @param method        how it was obtained, briefly
 */
public record BenchRow(String section, String metric, double value, String unit, double spreadPercent,
                       String method) {
    public BenchRow {
        Objects.requireNonNull(section, "section");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(method, "method");
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("value of '" + metric + "' must be finite and > 0, found " + value);
        }
    }

    /** A figure that is not a timing (a count, a size, a derived rate). */
    public static BenchRow figure(String section, String metric, double value, String unit, String method) {
        return new BenchRow(section, metric, value, unit, Double.NaN, method);
    }

    /** The median time per operation of {@code timing}, in milliseconds. */
    public static BenchRow millis(String section, String metric, Timing timing, String method) {
        return new BenchRow(section, metric, timing.medianMillis(), "ms", timing.spreadPercent(), method);
    }

    /** Operations per second at the median of {@code timing}, scaled by {@code opsPerTimedOp}. */
    public static BenchRow rate(String section, String metric, Timing timing, double opsPerTimedOp, String unit,
                                String method) {
        return new BenchRow(section, metric, timing.perSecond() * opsPerTimedOp, unit, timing.spreadPercent(), method);
    }
}
