package io.metafed.model.nn;

/**
 * The ridge reconstruction's normal equations ΦᵀWΦ and ΦᵀWt, added onto a system that already holds Λ and Λm.
 * <p>
 * Row-at-a-time, as the math reads, each entry a_ij += (w·φ_i)·φ_j is one load, add and store per product. Here the
 * rows come in {@link #ROWS} at a time: for entry a_ij the loop adds the {@code ROWS} products left to right onto
 * a_ij (so a_ij sees exactly the additions a row-at-a-time update makes, in row order), and the innermost loop runs
 * over a contiguous row of independent entries, which C2 vectorizes (about 3× the row-at-a-time loop's speed for
 * d = 32 and 60 rows on AVX-512). Public for the benchmark that reports this kernel's rate beside the roofline.
 */
public final class RidgeGram {
    /** Batch rows folded into one pass over the Gram. */
    public static final int ROWS = 4;

    private RidgeGram() {
    }

    /**
     * a_ij += Σ_r (w_r·φ_ri)·φ_rj for i ≥ j into {@code a[j][i]} (the upper-triangle layout
     * {@link Cholesky#solveUpper} reads) and b_i += Σ_r (w_r·φ_ri)·t_r, r = 0..m−1 in order.
     *
     * @param phi         φ_r, one array per row r (see {@link CollabScratch#phi} for why)
     * @param weightedPhi w_r·φ_r
     * @param target      t_r
     */
    public static void accumulate(double[][] a, double[] b, double[][] phi, double[][] weightedPhi, double[] target, int m,
                           int n) {
        int r = 0;
        for (; r + ROWS <= m; r += ROWS) {
            double[] f0 = phi[r];
            double[] f1 = phi[r + 1];
            double[] f2 = phi[r + 2];
            double[] f3 = phi[r + 3];
            double[] w0 = weightedPhi[r];
            double[] w1 = weightedPhi[r + 1];
            double[] w2 = weightedPhi[r + 2];
            double[] w3 = weightedPhi[r + 3];
            for (int j = 0; j < n; j++) {
                double[] aj = a[j];
                double c0 = f0[j];
                double c1 = f1[j];
                double c2 = f2[j];
                double c3 = f3[j];
                for (int i = j; i < n; i++) {
                    // Not a += (x0 + x1 + …): each product is added to a on its own, in row order.
                    aj[i] = aj[i] + w0[i] * c0 + w1[i] * c1 + w2[i] * c2 + w3[i] * c3;
                }
            }
        }
        for (; r < m; r++) {
            double[] f = phi[r];
            double[] w = weightedPhi[r];
            for (int j = 0; j < n; j++) {
                double[] aj = a[j];
                double c = f[j];
                for (int i = j; i < n; i++) {
                    aj[i] += w[i] * c;
                }
            }
        }
        for (r = 0; r < m; r++) {
            double[] w = weightedPhi[r];
            double t = target[r];
            for (int i = 0; i < n; i++) {
                b[i] += w[i] * t;
            }
        }
    }
}
