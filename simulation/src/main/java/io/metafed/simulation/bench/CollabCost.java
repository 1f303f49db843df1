package io.metafed.simulation.bench;

import io.metafed.model.nn.CollabBatch;
import io.metafed.model.nn.CollabConfig;
import io.metafed.model.nn.CollabSupport;
import io.metafed.model.nn.ParamLayout;
import java.util.BitSet;

/**
 * Floating-point operations and memory traffic of one FedRecon adaptation of the {@link CollabConfig collaborative
 * model}, counted from the math {@code CollabReference} runs (a multiply-add counts 2) for one device's encoded
 * ratings: the ridge reconstruction on all n ratings and on the reconstruction half (per row the item vector
 * q_i = E_i + Σ x·C and the (d+1)(d+2)/2 entries of the symmetric Gram update; a Cholesky factorization and two triangular solves), k SGD steps on
 * min(batch, n − n/2) rows of the training half (forward, gradient, the item penalty once per row, the update of
 * every entry a step touches), and the loss after adaptation on the training half.
 * <p>
 * Bytes are the traffic no implementation can avoid, in two parts: the <em>gathers</em> — every distinct item row
 * (d + 1 floats) and content row the device reads once, the rows it trains written once, the content tower read and
 * written once, the ratings (item, value, weight) — and the <em>update</em>: Δ is zero outside its support
 * ({@code CollabSupport}: μ, the tower, the prior, the device's item rows), so over the support Δ is written once,
 * read once by the sum, and the accumulator read and written once (4 floats per entry), and once per round θ is read
 * and the next θ written (2 · |θ| floats, shared by the round's clients). Caches hide re-reads within an adaptation,
 * so repeated passes over the same rows are not counted. (Until the simulator's updates knew their support, every
 * update cost 4 · |θ| floats, which made the model bandwidth-bound; that traffic was avoidable, so it is not a roof.)
 */
public record CollabCost(double flops, double gatherBytes, double updateBytes) {
    /** Bytes per float and per int (item row index). */
    private static final int WORD = 4;

    public CollabCost {
        if (!(flops >= 0) || !(gatherBytes >= 0) || !(updateBytes >= 0)) {
            throw new IllegalArgumentException("costs must be finite and >= 0, found flops " + flops + ", gathers "
                    + gatherBytes + ", update " + updateBytes);
        }
    }

    /** All bytes of one adaptation: gathers and the update. */
    public double bytes() {
        return gatherBytes + updateBytes;
    }

    /**
     * The cost of adapting on {@code all}, a device's ratings as the SDK encodes them.
     *
     * @param steps           k, SGD steps on the shared parameters
     * @param batch           minibatch size
     * @param clientsPerRound the round's clients, who share its one pass over θ
     */
    public static CollabCost of(ParamLayout layout, CollabBatch all, int steps, int batch, int clientsPerRound) {
        if (clientsPerRound <= 0) {
            throw new IllegalArgumentException("clientsPerRound must be > 0, found " + clientsPerRound);
        }
        CollabConfig config = layout.collab();
        int d = config.dim();
        int width = config.contentWidth();
        int n = all.size();
        long nonZeros = 0;
        BitSet rows = new BitSet();
        for (int r = 0; r < n; r++) {
            for (int f = 0; f < width; f++) {
                if (all.content()[r * width + f] != 0f) {
                    nonZeros++;
                }
            }
            if (all.rows()[r] >= 0) {
                rows.set(all.rows()[r]);
            }
        }
        double nnz = nonZeros / (double) n; // mean non-zero content columns per row
        int training = n >= 2 ? n - n / 2 : n;
        int reconstruction = n >= 2 ? n / 2 : n;
        int stepRows = Math.min(batch, training);

        double itemVector = nnz * (2.0 * d + 2); // b_i += x·c, q += x·C per non-zero column
        double predict = itemVector + 2.0 * d + 3; // μ + b_i + b_u + ⟨p, q⟩
        int k = d + 1;
        // t, then per i: w·φᵢ, b, and row i of A's lower triangle (all the Cholesky factorization reads).
        double gramRow = itemVector + 2 + 3.0 * k + (double) k * (k + 1);
        double solve = k * (double) k * k / 3.0 + 2.0 * k * k; // Cholesky + forward and back substitution
        double reconstruct = (n + reconstruction) * gramRow + 2 * solve;
        // Per row: forward and residual, g, ∂μ, ∂e, ∂E = g·p (2d), ∂c, ∂C = g·x·p (3d per non-zero column).
        double gradientRow = predict + 6 + 2.0 * d + nnz * (2.0 + 3.0 * d);
        double penalty = 4.0 * k; // ‖row‖² and reg·row, once per distinct row (bounded by the batch's rows)
        double touched = 1 + width + (double) width * d + stepRows * (double) k; // entries one step updates
        double step = stepRows * (gradientRow + penalty) + 2 * touched;
        double lossAfter = training * (predict + 3);
        double flops = reconstruct + steps * step + lossAfter;

        double rowBytes = (double) rows.cardinality() * k * WORD;
        double contentBytes = (double) n * width * WORD;
        double tower = (double) width * k * WORD;
        double ratings = 3.0 * n * WORD;
        // Trained rows: those of the training half, bounded by the rows the k steps can reach.
        double trainedRows = Math.min(rows.cardinality(), Math.min(training, (long) steps * stepRows));
        double gathers = rowBytes + contentBytes + ratings + 2 * tower + trainedRows * k * WORD;
        double update = 4.0 * CollabSupport.of(layout, all).count() * WORD
                + 2.0 * layout.size() * WORD / clientsPerRound;
        return new CollabCost(flops, gathers, update);
    }

    /** The sum of two costs (to average over devices). */
    public CollabCost plus(CollabCost other) {
        return new CollabCost(flops + other.flops, gatherBytes + other.gatherBytes, updateBytes + other.updateBytes);
    }

    /** This cost divided by {@code count}. */
    public CollabCost over(int count) {
        if (count <= 0) {
            throw new IllegalArgumentException("count must be > 0, found " + count);
        }
        return new CollabCost(flops / count, gatherBytes / count, updateBytes / count);
    }
}
