package io.metafed.evaluation.metrics;

/** How a true rating turns into the gain that DCG sums. */
public enum Gain {
    /** {@code 2^r − 1}: the common IR definition, stressing the best-rated items. */
    EXPONENTIAL,
    /** {@code r}: the level MeLU's published nDCG numbers correspond to. */
    LINEAR;

    public double of(double rating) {
        return this == EXPONENTIAL ? Math.pow(2, rating) - 1 : rating;
    }
}
