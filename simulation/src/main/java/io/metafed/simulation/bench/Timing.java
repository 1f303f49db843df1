package io.metafed.simulation.bench;

import io.metafed.model.Checks;
import java.util.Arrays;

/**
 * Repeated timing of one operation: after {@code warmups} unrecorded samples (so the JIT has compiled the code),
 * {@code samples} samples of {@code opsPerSample} back-to-back operations each, reported per operation as
 * median, quartiles and extremes of the samples. Wall clock: on a shared machine the spread shows the
 * interference, and the interquartile range keeps one descheduled sample from dominating it.
 */
public record Timing(double medianNanos, double lowerQuartileNanos, double upperQuartileNanos, double minNanos,
                     double maxNanos, int samples) {
    public Timing {
        Checks.positive(samples, "samples");
        if (!(minNanos <= lowerQuartileNanos && lowerQuartileNanos <= medianNanos && medianNanos <= upperQuartileNanos
                && upperQuartileNanos <= maxNanos)) {
            throw new IllegalArgumentException("must have min <= q1 <= median <= q3 <= max, found " + minNanos + ", "
                    + lowerQuartileNanos + ", " + medianNanos + ", " + upperQuartileNanos + ", " + maxNanos);
        }
    }

    /** An operation that can be repeated, e.g. one adaptation. */
    @FunctionalInterface
    public interface Operation {
        void run() throws Exception;
    }

    public static Timing measure(int warmups, int samples, int opsPerSample, Operation op) {
        Checks.nonNegative(warmups, "warmups");
        Checks.positive(samples, "samples");
        Checks.positive(opsPerSample, "opsPerSample");
        double[] perOp = new double[samples];
        for (int s = -warmups; s < samples; s++) {
            long start = System.nanoTime();
            for (int i = 0; i < opsPerSample; i++) {
                runUnchecked(op);
            }
            long elapsed = System.nanoTime() - start;
            if (s >= 0) {
                perOp[s] = Math.max(1, elapsed) / (double) opsPerSample;
            }
        }
        return of(perOp);
    }

    /** The statistics of per-operation times measured elsewhere (e.g. one per simulated round). */
    public static Timing of(double[] perOpNanos) {
        if (perOpNanos.length == 0) {
            throw new IllegalArgumentException("perOpNanos must hold at least one sample, found none");
        }
        double[] sorted = perOpNanos.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return new Timing(quantile(sorted, 0.5), quantile(sorted, 0.25), quantile(sorted, 0.75), sorted[0],
                sorted[n - 1], n);
    }

    /** Linear interpolation between the closest ranks (R-7, the common default). */
    private static double quantile(double[] sorted, double q) {
        double position = q * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(sorted.length - 1, below + 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }

    public double medianMillis() {
        return medianNanos / 1e6;
    }

    /** Operations per second at the median. */
    public double perSecond() {
        return 1e9 / medianNanos;
    }

    /** Interquartile range / median, in percent. */
    public double spreadPercent() {
        return 100 * (upperQuartileNanos - lowerQuartileNanos) / medianNanos;
    }

    private static void runUnchecked(Operation op) {
        try {
            op.run();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("benchmarked operation failed: " + e.getMessage(), e);
        }
    }
}
