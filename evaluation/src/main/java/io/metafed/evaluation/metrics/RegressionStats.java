package io.metafed.evaluation.metrics;

import io.metafed.model.Checks;
import java.util.Objects;

/**
 * Running MAE and RMSE over (predicted, actual) pairs. Keep one per user to average per-user errors, or one
 * over all pairs for the pooled error; {@link #merge} combines them. Not thread-safe.
 */
public final class RegressionStats {
    private long count;
    private double absoluteSum;
    private double squaredSum;

    public RegressionStats add(double predicted, double actual) {
        double error = Checks.finite(predicted, "predicted") - Checks.finite(actual, "actual");
        count++;
        absoluteSum += Math.abs(error);
        squaredSum += error * error;
        return this;
    }

    /** Adds {@code predicted[i], actual[i]} for every i; the arrays must have equal length. */
    public RegressionStats addAll(double[] predicted, double[] actual) {
        RankingMetrics.checkPair(predicted, actual, false);
        for (int i = 0; i < predicted.length; i++) {
            add(predicted[i], actual[i]);
        }
        return this;
    }

    public RegressionStats merge(RegressionStats other) {
        Objects.requireNonNull(other, "other");
        count += other.count;
        absoluteSum += other.absoluteSum;
        squaredSum += other.squaredSum;
        return this;
    }

    public long count() {
        return count;
    }

    /** Mean absolute error; an error of nothing is undefined, so an empty accumulator throws. */
    public double mae() {
        requireData();
        return absoluteSum / count;
    }

    /** Root mean squared error. */
    public double rmse() {
        requireData();
        return Math.sqrt(squaredSum / count);
    }

    private void requireData() {
        if (count == 0) {
            throw new IllegalStateException("no (predicted, actual) pairs were added");
        }
    }

    @Override
    public String toString() {
        return count == 0 ? "RegressionStats[count=0]"
                : "RegressionStats[count=" + count + ", mae=" + mae() + ", rmse=" + rmse() + "]";
    }
}
