package io.metafed.simulation.bench;

import io.metafed.model.nn.ParamLayout;
import io.metafed.model.nn.TensorSlot;

/**
 * Floating-point operations (a multiply-add counts 2) of the model's math as {@code ReferenceModel} and the
 * ONNX graphs compute it, counted from the {@link ParamLayout}: the embedding lookup costs 2·dim per non-zero
 * feature (one-hot fields have one, genres a few), each dense layer 2·in·out per row forward, twice that
 * backward (weight gradient and input gradient), and the SGD update 2 per parameter. Bias adds, ReLU and the
 * loss are O(rows·width) and left out. These are dense counts: the reference skips zero activations, so
 * it can do fewer.
 */
public final class Flops {
    private Flops() {
    }

    /** One forward pass over {@code rows} rows whose feature matrix holds {@code nonZeros} non-zeros in all. */
    public static double forward(ParamLayout layout, int rows, long nonZeros) {
        return 2.0 * nonZeros * layout.config().embeddingDim() + rows * denseMultiplyAdds(layout) * 2.0;
    }

    /** One SGD step (forward, backward, update) on {@code rows} rows with {@code nonZeros} feature non-zeros. */
    public static double sgdStep(ParamLayout layout, int rows, long nonZeros) {
        double backward = 2.0 * nonZeros * layout.config().embeddingDim() + rows * denseMultiplyAdds(layout) * 4.0;
        return forward(layout, rows, nonZeros) + backward + 2.0 * layout.size();
    }

    /** Σ in·out over the dense layers, output layer included: multiply-adds per row of one dense pass. */
    public static long denseMultiplyAdds(ParamLayout layout) {
        long sum = 0;
        for (int l = 0; l < layout.denseLayers(); l++) {
            TensorSlot w = layout.weight(l);
            sum += (long) w.rows() * w.cols();
        }
        return sum;
    }

    /** Non-zero entries of a feature matrix. */
    public static long nonZeros(float[] features) {
        long count = 0;
        for (float x : features) {
            if (x != 0f) {
                count++;
            }
        }
        return count;
    }

    /**
     * c = a·b for square row-major matrices of side {@code n}, in the i-k-j order of the reference's dense layer
     * (the inner loop streams rows, which C2 vectorizes). 2n³ operations; the compute side of the roofline.
     */
    public static void multiply(float[] a, float[] b, float[] c, int n) {
        java.util.Arrays.fill(c, 0f);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                float x = a[i * n + k];
                int row = k * n;
                int out = i * n;
                for (int j = 0; j < n; j++) {
                    c[out + j] += x * b[row + j];
                }
            }
        }
    }
}
