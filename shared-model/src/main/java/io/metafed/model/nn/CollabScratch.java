package io.metafed.model.nn;

/**
 * Working memory of one {@link CollabReference} call: the Gram system, the batch's Φ rows, the predictions and the
 * row stamps, so a reconstruction or a training step allocates nothing once warm. Confined to the call that
 * borrowed it (never shared between threads while in use); the arrays that depend on the batch grow as needed.
 */
final class CollabScratch {
    /** q_i of up to {@link CollabReference#BLOCK} rows. */
    final float[][] q;
    /** The ridge system's upper triangle (n = dim + 1 rows of n), then its Cholesky factor Lᵀ. */
    final double[][] gram;
    final double[] rhs;
    final double[] forward;
    final double[] solution;
    /** Per batch row (width apart), its nonzero content columns and their values; per row, how many. */
    int[] columns = new int[0];
    float[] values = new float[0];
    int[] nonzeros = new int[0];
    /** Per content column, the g·x of the batch rows that have it, in row order, and how many. */
    float[][] terms;
    final int[] termCount;
    private final int width;
    /** One row of d doubles. */
    final double[] row;
    /**
     * Per batch row: Φ, w·Φ, the target t, the prediction ŷ. Φ and w·Φ are an array per row, not one flat array: C2
     * (JDK 17) vectorizes a loop only while its loads index their arrays by the loop variable with no invariant
     * offset, and the Gram loop reads several rows at once.
     */
    double[][] phi = new double[0][];
    double[][] weightedPhi = new double[0][];
    double[] target = new double[0];
    double[] predicted = new double[0];
    /** Batch indices of the rows with nonzero weight, in order. */
    int[] live = new int[0];
    /** stamp[row] == generation: the item row was already regularized in this call. */
    private int[] stamp = new int[0];
    private int generation;
    /** A zeroed θ-sized gradient for training steps, allocated on the first one. */
    float[] gradient;

    CollabScratch(int dim, int width) {
        int n = dim + 1;
        this.q = new float[CollabReference.BLOCK][dim];
        this.gram = new double[n][n];
        this.rhs = new double[n];
        this.forward = new double[n];
        this.solution = new double[n];
        this.row = new double[dim];
        this.width = width;
        this.termCount = new int[width];
        this.terms = new float[width][0];
    }

    /** Room for the live rows, predictions and content lists of a batch of {@code rows} rows. */
    void ensureRows(int rows) {
        if (live.length < rows) {
            int capacity = Math.max(rows, 2 * live.length);
            live = new int[capacity];
            predicted = new double[capacity];
            nonzeros = new int[capacity];
            columns = new int[capacity * width];
            values = new float[capacity * width];
        }
    }

    /** Room for the content gradient terms of a training batch of {@code rows} rows. */
    void ensureTerms(int rows) {
        if (terms[0].length < rows) {
            terms = new float[width][Math.max(rows, 2 * terms[0].length)];
        }
    }

    /** Room for Φ, w·Φ (width {@code n}) and t of a support set of {@code rows} rows. */
    void ensurePhi(int rows, int n) {
        if (target.length < rows) {
            int capacity = Math.max(rows, 2 * target.length);
            target = new double[capacity];
            phi = grow(phi, capacity, n);
            weightedPhi = grow(weightedPhi, capacity, n);
        }
    }

    private static double[][] grow(double[][] rows, int capacity, int n) {
        double[][] grown = java.util.Arrays.copyOf(rows, capacity);
        for (int r = rows.length; r < capacity; r++) {
            grown[r] = new double[n];
        }
        return grown;
    }

    /** Starts a new set of seen item rows over a table of {@code items} rows. */
    void newStamp(int items) {
        if (stamp.length < items) {
            stamp = new int[items];
            generation = 0;
        }
        if (++generation == 0) { // wrapped after 2³² calls: clear the stale stamps once
            java.util.Arrays.fill(stamp, 0);
            generation = 1;
        }
    }

    /** True the first time {@code row} is seen since {@link #newStamp}. */
    boolean firstSight(int row) {
        if (stamp[row] == generation) {
            return false;
        }
        stamp[row] = generation;
        return true;
    }
}
