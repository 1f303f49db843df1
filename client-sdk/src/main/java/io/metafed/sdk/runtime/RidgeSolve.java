package io.metafed.sdk.runtime;

import io.metafed.model.nn.Cholesky;

/**
 * The last step of a reconstruction on ONNX Runtime: the graph builds the (d+1)×(d+1) ridge system in double
 * precision, and it is solved here by the reference's Cholesky, so z differs from {@code CollabReference}'s only by
 * the graph's float rounding.
 */
final class RidgeSolve {
    private RidgeSolve() {
    }

    /**
     * z of the system {@code a z = b} ({@code a} row-major, n × n with n = {@code b.length}), rounded to float.
     *
     * @throws IllegalStateException when {@code a} is not positive definite
     */
    static float[] solve(double[] a, double[] b) {
        int n = b.length;
        double[] solution = Cholesky.solve(a, b, n);
        float[] result = new float[n];
        for (int k = 0; k < n; k++) {
            result[k] = (float) solution[k];
        }
        return result;
    }
}
