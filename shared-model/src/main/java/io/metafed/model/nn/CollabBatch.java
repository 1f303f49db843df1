package io.metafed.model.nn;

import io.metafed.model.Checks;

/**
 * Labelled rows for the {@link CollabConfig collaborative model}: per row the item's table row (−1 for an item
 * outside the catalogue), its content row x_i ({@code contentWidth} columns, row-major), the rating and a loss
 * weight (0 marks padding). Arrays are used as given, not copied: a batch is built for one call.
 */
public record CollabBatch(int[] rows, float[] content, float[] ratings, float[] weights, int size, int contentWidth) {
    public CollabBatch {
        Checks.positive(size, "size");
        Checks.positive(contentWidth, "contentWidth");
        if (rows.length != size) {
            throw new IllegalArgumentException("rows must have length " + size + ", found " + rows.length);
        }
        Checks.length(content, size * contentWidth, "content");
        Checks.length(ratings, size, "ratings");
        Checks.length(weights, size, "weights");
        double total = 0;
        for (int i = 0; i < size; i++) {
            if (!(weights[i] >= 0) || Float.isInfinite(weights[i])) {
                throw new IllegalArgumentException("weights[" + i + "] must be finite and >= 0, found " + weights[i]);
            }
            if (rows[i] < -1) {
                throw new IllegalArgumentException("rows[" + i + "] must be >= -1, found " + rows[i]);
            }
            total += weights[i];
        }
        if (!(total > 0)) {
            throw new IllegalArgumentException("weights must have a positive sum, found " + total);
        }
    }

    /**
     * Checks that this batch fits the model {@code config}: its content width, and every table row inside the
     * catalogue (what the runtimes gather); {@code name} starts the message, e.g. {@code batch} or {@code members[2]}.
     *
     * @throws IllegalArgumentException naming the width or the first row out of range, expected and found
     */
    public CollabBatch requireFits(CollabConfig config, String name) {
        if (contentWidth != config.contentWidth()) {
            throw new IllegalArgumentException(name + " content width must be " + config.contentWidth() + ", found "
                    + contentWidth);
        }
        for (int r = 0; r < size; r++) {
            if (rows[r] >= config.items()) {
                throw new IllegalArgumentException(name + " rows[" + r + "] must be < " + config.items() + ", found "
                        + rows[r]);
            }
        }
        return this;
    }

    /** The rows {@code indices} of this batch, in that order. */
    public CollabBatch select(int[] indices) {
        int[] r = new int[indices.length];
        float[] x = new float[indices.length * contentWidth];
        float[] y = new float[indices.length];
        float[] w = new float[indices.length];
        for (int k = 0; k < indices.length; k++) {
            r[k] = rows[indices[k]];
            System.arraycopy(content, indices[k] * contentWidth, x, k * contentWidth, contentWidth);
            y[k] = ratings[indices[k]];
            w[k] = weights[indices[k]];
        }
        return new CollabBatch(r, x, y, w, indices.length, contentWidth);
    }
}
