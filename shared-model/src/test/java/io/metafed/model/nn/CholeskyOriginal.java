package io.metafed.model.nn;

/** Test-only frozen copy of the row-by-row {@link Cholesky} before 2026-12-03, for {@link CollabReferenceBitIdentityTest}. */
final class CholeskyOriginal {
    private CholeskyOriginal() {
    }

    /**
     * x with A·x = b; {@code a} is n×n row-major, of which only the lower triangle (column ≤ row) is read. A ridge matrix ΦᵀWΦ + Λ with Λ > 0 is positive definite, so a
     * non-positive pivot means non-finite input.
     */
    public static double[] solve(double[] a, double[] b, int n) {
        double[] l = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i * n + j];
                for (int k = 0; k < j; k++) {
                    s -= l[i * n + k] * l[j * n + k];
                }
                if (i == j) {
                    if (!(s > 0)) {
                        throw new IllegalStateException("ridge system is not positive definite (pivot " + i + " = "
                                + s + "): non-finite parameters or ratings?");
                    }
                    l[i * n + i] = Math.sqrt(s);
                } else {
                    l[i * n + j] = s / l[j * n + j];
                }
            }
        }
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double s = b[i];
            for (int k = 0; k < i; k++) {
                s -= l[i * n + k] * y[k];
            }
            y[i] = s / l[i * n + i];
        }
        double[] x = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double s = y[i];
            for (int k = i + 1; k < n; k++) {
                s -= l[k * n + i] * x[k];
            }
            x[i] = s / l[i * n + i];
        }
        return x;
    }
}
