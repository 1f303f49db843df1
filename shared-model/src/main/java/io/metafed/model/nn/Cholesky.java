package io.metafed.model.nn;

/**
 * Solves a small symmetric positive-definite system in double precision (the ridge reconstruction's).
 * <p>
 * The factorization runs column by column on the transposed factor U = Lᵀ (row j of U is column j of L), so each
 * inner loop runs over independent entries of one contiguous row, which C2 vectorizes, instead of one long chain
 * of dependent subtractions per entry. Every entry of L, y and x still sees exactly the operations of the textbook
 * row-by-row Cholesky in the same order (a_ij − Σ_{k&lt;j} l_ik·l_jk with k ascending, then ÷ l_jj; the forward and
 * back substitutions with k ascending), so the solution is the same to the bit.
 */
public final class Cholesky {
    private Cholesky() {
    }

    /**
     * x with A·x = b; {@code a} is n×n row-major, of which only the lower triangle (column ≤ row) is read. A ridge matrix ΦᵀWΦ + Λ with Λ > 0 is positive definite, so a
     * non-positive pivot means non-finite input.
     */
    public static double[] solve(double[] a, double[] b, int n) {
        double[][] u = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                u[j][i] = a[i * n + j];
            }
        }
        double[] x = new double[n];
        solveUpper(u, b, n, x, new double[n]);
        return x;
    }

    /**
     * x with A·x = b where {@code u[j][i]} holds a_ij for i ≥ j (the upper triangle, by rows; the strict lower
     * triangle is not read). Overwrites that triangle with Lᵀ and {@code y} (length ≥ n) with the forward
     * substitution; {@code b} is only read. The caller's scratch, so a reconstruction allocates nothing. An array
     * per row because C2 (JDK 17) vectorizes {@code uj[i] -= uk[i] · l} but not the same loop over one flat array
     * at two different row offsets.
     */
    static void solveUpper(double[][] u, double[] b, int n, double[] x, double[] y) {
        for (int j = 0; j < n; j++) {
            double[] uj = u[j];
            // Row j holds a_ij (i ≥ j); subtract l_ik·l_jk for k = 0..j−1 in order, all i at once, four k per pass
            // (each product subtracted on its own, left to right: the same chain as one k at a time).
            int k = 0;
            for (; k + 4 <= j; k += 4) {
                double[] u0 = u[k];
                double[] u1 = u[k + 1];
                double[] u2 = u[k + 2];
                double[] u3 = u[k + 3];
                double l0 = u0[j];
                double l1 = u1[j];
                double l2 = u2[j];
                double l3 = u3[j];
                for (int i = j; i < n; i++) {
                    uj[i] = uj[i] - u0[i] * l0 - u1[i] * l1 - u2[i] * l2 - u3[i] * l3;
                }
            }
            for (; k < j; k++) {
                double[] uk = u[k];
                double ljk = uk[j];
                for (int i = j; i < n; i++) {
                    uj[i] -= uk[i] * ljk;
                }
            }
            double s = uj[j];
            if (!(s > 0)) {
                throw new IllegalStateException("ridge system is not positive definite (pivot " + j + " = "
                        + s + "): non-finite parameters or ratings?");
            }
            double ljj = Math.sqrt(s);
            uj[j] = ljj;
            for (int i = j + 1; i < n; i++) {
                uj[i] = uj[i] / ljj;
            }
        }
        // Forward: y_i = (b_i − Σ_{k<i} l_ik·y_k) / l_ii; column k of L is row k of U, so once y_k is known every
        // later y_i takes its term at once, still in k order.
        System.arraycopy(b, 0, y, 0, n);
        for (int k = 0; k < n; k++) {
            double[] uk = u[k];
            double yk = y[k] / uk[k];
            y[k] = yk;
            for (int i = k + 1; i < n; i++) {
                y[i] -= uk[i] * yk;
            }
        }
        // Back: x_i = (y_i − Σ_{k>i} l_ki·x_k) / l_ii with k ascending, l_ki = u[i][k]: one chain per i, since x_i
        // needs x_{i+1} first.
        for (int i = n - 1; i >= 0; i--) {
            double[] ui = u[i];
            double s = y[i];
            for (int k = i + 1; k < n; k++) {
                s -= ui[k] * x[k];
            }
            x[i] = s / ui[i];
        }
    }
}
