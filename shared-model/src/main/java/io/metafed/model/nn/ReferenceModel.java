package io.metafed.model.nn;

import io.metafed.model.Checks;

/**
 * Plain-Java reference of the model's math: forward pass, weighted MSE loss, backward pass and one SGD step.
 * It is the ground truth for gradient checks and for parity tests of the ONNX graphs, which implement exactly
 * these equations:
 * <pre>
 *   z0 = concat_k(x_k · E_k)                 x_k: field k's block of the feature row
 *   h_l = relu(h_{l-1} · W_l + b_l)           l = 1..L
 *   ŷ  = h_L · W_out + b_out
 *   loss = Σ w (ŷ − y)² / Σ w
 * </pre>
 * Stateless and thread-safe.
 */
public final class ReferenceModel implements ModelRuntime {
    private final ParamLayout layout;
    private final int width;
    private final int dim;
    private final int fields;

    public ReferenceModel(ParamLayout layout) {
        this.layout = layout;
        this.width = layout.config().schema().width();
        this.dim = layout.config().embeddingDim();
        this.fields = layout.config().schema().fields().size();
    }

    @Override
    public ParamLayout layout() {
        return layout;
    }

    /** Predicted ratings for {@code n} feature rows. */
    @Override
    public float[] predict(float[] params, float[] features, int n) {
        Checks.length(params, layout.size(), "params");
        Checks.length(features, n * width, "features");
        return forward(params, features, n).output();
    }

    /**
     * Computes the loss of {@code batch} at {@code params} and writes d loss / d params into {@code grad}.
     *
     * @return the weighted mean squared error
     */
    public double lossAndGradient(float[] params, Batch batch, float[] grad) {
        Checks.length(params, layout.size(), "params");
        Checks.length(grad, layout.size(), "grad");
        if (batch.width() != width) {
            throw new IllegalArgumentException("batch width must be " + width + ", found " + batch.width());
        }
        int n = batch.size();
        Forward fw = forward(params, batch.features(), n);
        double weightSum = 0;
        for (int r = 0; r < n; r++) {
            weightSum += batch.weights()[r];
        }
        double loss = 0;
        float[] dOut = new float[n];
        for (int r = 0; r < n; r++) {
            double residual = fw.output()[r] - batch.ratings()[r];
            loss += batch.weights()[r] * residual * residual;
            dOut[r] = (float) (2 * batch.weights()[r] * residual / weightSum);
        }
        java.util.Arrays.fill(grad, 0f);
        int last = layout.denseLayers() - 1;
        float[] delta = denseBackward(params, grad, last, fw.activations()[last], dOut, n);
        for (int l = last - 1; l >= 0; l--) {
            float[] pre = fw.preActivations()[l];
            for (int i = 0; i < delta.length; i++) {
                if (!(pre[i] > 0)) {
                    delta[i] = 0f;
                }
            }
            delta = denseBackward(params, grad, l, fw.activations()[l], delta, n);
        }
        embeddingBackward(grad, batch.features(), delta, n);
        return loss / weightSum;
    }

    /**
     * One SGD step: {@code out = params − lr · ∇loss}. {@code out} may be {@code params} itself.
     *
     * @return the loss at {@code params}, before the step
     */
    @Override
    public double sgdStep(float[] params, Batch batch, float learningRate, float[] out) {
        Checks.length(out, layout.size(), "out");
        float[] grad = new float[layout.size()];
        double loss = lossAndGradient(params, batch, grad);
        for (int i = 0; i < grad.length; i++) {
            out[i] = params[i] - learningRate * grad[i];
        }
        return loss;
    }

    @Override
    public double gradient(float[] params, Batch batch, float[] gradient) {
        Checks.length(gradient, layout.size(), "gradient");
        java.util.Arrays.fill(gradient, 0f);
        return lossAndGradient(params, batch, gradient);
    }

    /** activations[0] = z0 and activations[l] = h_l; preActivations[l] = a_{l+1} of hidden layer l+1. */
    private record Forward(float[][] activations, float[][] preActivations, float[] output) {
    }

    private Forward forward(float[] params, float[] features, int n) {
        int hidden = layout.denseLayers() - 1;
        float[][] activations = new float[hidden + 1][];
        float[][] preActivations = new float[hidden][];
        float[] h = embed(params, features, n);
        activations[0] = h;
        for (int l = 0; l < hidden; l++) {
            float[] a = dense(params, l, h, n);
            preActivations[l] = a;
            h = new float[a.length];
            for (int i = 0; i < a.length; i++) {
                h[i] = a[i] > 0 ? a[i] : 0f;
            }
            activations[l + 1] = h;
        }
        return new Forward(activations, preActivations, dense(params, hidden, h, n));
    }

    private float[] embed(float[] params, float[] features, int n) {
        int concat = fields * dim;
        float[] z = new float[n * concat];
        int column = 0;
        for (int k = 0; k < fields; k++) {
            TensorSlot table = layout.embedding(k);
            for (int r = 0; r < n; r++) {
                for (int v = 0; v < table.rows(); v++) {
                    float x = features[r * width + column + v];
                    if (x != 0f) {
                        int src = table.offset() + v * dim;
                        int dst = r * concat + k * dim;
                        for (int d = 0; d < dim; d++) {
                            z[dst + d] += x * params[src + d];
                        }
                    }
                }
            }
            column += table.rows();
        }
        return z;
    }

    /** a = h · W_l + b_l for {@code n} rows. */
    private float[] dense(float[] params, int layer, float[] h, int n) {
        TensorSlot w = layout.weight(layer);
        TensorSlot b = layout.bias(layer);
        int in = w.rows();
        int out = w.cols();
        float[] a = new float[n * out];
        for (int r = 0; r < n; r++) {
            System.arraycopy(params, b.offset(), a, r * out, out);
            for (int i = 0; i < in; i++) {
                float x = h[r * in + i];
                if (x != 0f) {
                    int row = w.offset() + i * out;
                    for (int j = 0; j < out; j++) {
                        a[r * out + j] += x * params[row + j];
                    }
                }
            }
        }
        return a;
    }

    /** Accumulates dW, db of {@code layer} into grad and returns d loss / d input. */
    private float[] denseBackward(float[] params, float[] grad, int layer, float[] input, float[] dOut, int n) {
        TensorSlot w = layout.weight(layer);
        TensorSlot b = layout.bias(layer);
        int in = w.rows();
        int out = w.cols();
        float[] dIn = new float[n * in];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < out; j++) {
                grad[b.offset() + j] += dOut[r * out + j];
            }
            for (int i = 0; i < in; i++) {
                float x = input[r * in + i];
                int row = w.offset() + i * out;
                float acc = 0f;
                for (int j = 0; j < out; j++) {
                    float g = dOut[r * out + j];
                    grad[row + j] += x * g;
                    acc += g * params[row + j];
                }
                dIn[r * in + i] = acc;
            }
        }
        return dIn;
    }

    private void embeddingBackward(float[] grad, float[] features, float[] dz, int n) {
        int concat = fields * dim;
        int column = 0;
        for (int k = 0; k < fields; k++) {
            TensorSlot table = layout.embedding(k);
            for (int r = 0; r < n; r++) {
                for (int v = 0; v < table.rows(); v++) {
                    float x = features[r * width + column + v];
                    if (x != 0f) {
                        int dst = table.offset() + v * dim;
                        int src = r * concat + k * dim;
                        for (int d = 0; d < dim; d++) {
                            grad[dst + d] += x * dz[src + d];
                        }
                    }
                }
            }
            column += table.rows();
        }
    }
}
