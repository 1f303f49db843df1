package io.metafed.model.train;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The minibatch sequence of one adaptation: consecutive slices of
 * up to {@code batchSize} indices of a seeded permutation, reshuffled once used up; the identity order every
 * step when one batch holds all examples. Epochs make every rating count equally often, and the seed makes
 * an adaptation replayable (tests recompute it with the reference model).
 */
public final class MinibatchSampler {
    private final int batchSize;
    private final int[] order;
    private final SplittableRandom random;
    private int cursor;

    public MinibatchSampler(int size, int batchSize, long seed) {
        if (size <= 0 || batchSize <= 0) {
            throw new IllegalArgumentException("size and batchSize must be positive, found " + size + " and "
                    + batchSize);
        }
        this.batchSize = batchSize;
        this.order = new int[size];
        Arrays.setAll(order, i -> i);
        this.random = new SplittableRandom(seed);
        this.cursor = size; // the first next() shuffles
    }

    public boolean fullBatch() {
        return batchSize >= order.length;
    }

    /** Indices of the next step's minibatch. */
    public int[] next() {
        if (fullBatch()) {
            return order.clone();
        }
        if (cursor == order.length) {
            shuffle();
            cursor = 0;
        }
        int end = Math.min(order.length, cursor + batchSize);
        int[] slice = Arrays.copyOfRange(order, cursor, end);
        cursor = end;
        return slice;
    }

    /** Fisher–Yates, like {@link io.metafed.model.Randoms#shuffle}, on ints. */
    private void shuffle() {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
    }
}
