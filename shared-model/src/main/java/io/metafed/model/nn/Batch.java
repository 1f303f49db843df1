package io.metafed.model.nn;

import io.metafed.model.Checks;

/**
 * A batch of labelled rows: {@code size} rows of the feature matrix (row-major, {@code width} columns), their
 * ratings, and per-row loss weights. A weight of 0 marks a padding row, which lets fixed-size buffers be
 * reused for tasks of any size; the loss is the weighted mean squared error Σw(ŷ−y)²/Σw.
 */
public record Batch(float[] features, float[] ratings, float[] weights, int size, int width) {
    public Batch {
        Checks.positive(size, "size");
        Checks.positive(width, "width");
        Checks.length(features, size * width, "features");
        Checks.length(ratings, size, "ratings");
        Checks.length(weights, size, "weights");
        double total = 0;
        for (int i = 0; i < size; i++) {
            if (!(weights[i] >= 0) || Float.isInfinite(weights[i])) {
                throw new IllegalArgumentException("weights[" + i + "] must be finite and >= 0, found " + weights[i]);
            }
            total += weights[i];
        }
        if (!(total > 0)) {
            throw new IllegalArgumentException("weights must have a positive sum, found " + total);
        }
    }

    /** A batch in which every row has weight 1. */
    public static Batch unweighted(float[] features, float[] ratings, int width) {
        float[] w = new float[ratings.length];
        java.util.Arrays.fill(w, 1f);
        return new Batch(features, ratings, w, ratings.length, width);
    }

    /** The rows {@code indices} of this batch, in that order. */
    public Batch rows(int[] indices) {
        float[] x = new float[indices.length * width];
        float[] y = new float[indices.length];
        float[] w = new float[indices.length];
        for (int r = 0; r < indices.length; r++) {
            System.arraycopy(features, indices[r] * width, x, r * width, width);
            y[r] = ratings[indices[r]];
            w[r] = weights[indices[r]];
        }
        return new Batch(x, y, w, indices.length, width);
    }
}
