package io.metafed.evaluation.metrics;

import io.metafed.model.Checks;

/**
 * Mean of one metric over {@code count} users, with the sample standard deviation across users (n − 1 in
 * the denominator; 0 for a single user).
 */
public record Summary(long count, double mean, double std) {
    public Summary {
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1, found " + count);
        }
        Checks.finite(mean, "mean");
        Checks.inRange(std, 0, Double.MAX_VALUE, "std");
    }

    /** Standard error of the mean, std / √count: the spread to compare two models' means with. */
    public double standardError() {
        return std / Math.sqrt(count);
    }
}
