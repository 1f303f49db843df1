package io.metafed.model.nn;

import io.metafed.model.Checks;
import java.util.Arrays;
import java.util.BitSet;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Test-only frozen copy of {@link CollabReference} as it was before its kernels were restructured (2026-12-03):
 * row-at-a-time Gram, row-by-row Cholesky ({@link CholeskyOriginal}), one prediction chain at a time, a BitSet of
 * seen rows. {@link CollabReferenceBitIdentityTest} holds the new code to it bit for bit; do not "improve" it.
 */
final class CollabReferenceOriginal {
    private final ParamLayout layout;
    private final CollabConfig config;
    private final int dim;
    private final int width;
    private final int mu;
    private final int itemBias;
    private final int itemEmb;
    private final int contentBias;
    private final int contentEmb;
    private final int prior;
    /** A zeroed θ-sized gradient for {@link #trainStep}, or null while a call has it. */
    private final AtomicReference<float[]> spareGradient = new AtomicReference<>();

    CollabReferenceOriginal(ParamLayout layout) {
        this.layout = layout;
        this.config = layout.collab();
        this.dim = config.dim();
        this.width = config.contentWidth();
        this.mu = layout.slot(ParamLayout.MU).offset();
        this.itemBias = layout.slot(ParamLayout.ITEM_BIAS).offset();
        this.itemEmb = layout.slot(ParamLayout.ITEM_EMB).offset();
        this.contentBias = layout.slot(ParamLayout.CONTENT_BIAS).offset();
        this.contentEmb = layout.slot(ParamLayout.CONTENT_EMB).offset();
        this.prior = layout.slot(ParamLayout.PRIOR).offset();
    }


    public ParamLayout layout() {
        return layout;
    }


    public float[] predict(float[] theta, float[] z, CollabBatch batch) {
        check(theta, z, batch);
        float[] out = new float[batch.size()];
        float[] q = new float[dim];
        for (int r = 0; r < batch.size(); r++) {
            out[r] = (float) predictRow(theta, z, batch, r, q);
        }
        return out;
    }


    public float[] reconstruct(float[] theta, CollabBatch support) {
        Checks.length(theta, layout.size(), "theta");
        checkBatch(support);
        int n = dim + 1;
        double[] a = new double[n * n];
        double[] b = new double[n];
        for (int k = 0; k < n; k++) {
            double lambda = k < dim ? config.lambdaUser() : config.lambdaBias();
            a[k * n + k] = lambda;
            b[k] = lambda * theta[prior + k];
        }
        float[] q = new float[dim];
        double[] phi = new double[n];
        for (int r = 0; r < support.size(); r++) {
            double w = support.weights()[r];
            if (w == 0) {
                continue;
            }
            double bi = itemVector(theta, support, r, q);
            for (int k = 0; k < dim; k++) {
                phi[k] = q[k];
            }
            phi[dim] = 1;
            double t = support.ratings()[r] - theta[mu] - bi;
            for (int i = 0; i < n; i++) {
                double wi = w * phi[i]; // (w · φᵢ) · φⱼ, as the left-to-right product w * phi[i] * phi[j] rounds
                b[i] += wi * t;
                int rowStart = i * n;
                // The lower triangle only: it is all Cholesky.solve reads, so the upper one would be work thrown
                // away (half the Gram's multiply-adds; the solution is the same to the bit).
                for (int j = 0; j <= i; j++) {
                    a[rowStart + j] += wi * phi[j];
                }
            }
        }
        double[] solution = CholeskyOriginal.solve(a, b, n);
        float[] z = new float[n];
        for (int k = 0; k < n; k++) {
            z[k] = (float) solution[k];
        }
        return z;
    }

    /**
     * {@inheritDoc}
     * <p>
     * A minibatch touches μ, its items' rows and the content tower: a few hundred of θ's entries, where θ has 17 per
     * item of the catalogue. The step therefore accumulates ∂loss/∂θ into a zeroed scratch vector and applies and
     * re-zeroes only the entries the batch can touch; every other entry of {@code out} is θ's, exactly what
     * {@code θ − rate · 0} gives for a finite rate ≥ +0 (a rate of −0, NaN or ∞ takes the dense step, whose
     * {@code rate · 0} is not +0). Each touched entry is computed as the dense step computes it, so the result is
     * bit-identical to it.
     */

    public double trainStep(float[] theta, float[] z, CollabBatch batch, float learningRate, float[] out) {
        Checks.length(out, layout.size(), "out");
        if (!(learningRate > 0 || Float.floatToRawIntBits(learningRate) == 0) || Float.isInfinite(learningRate)) {
            float[] grad = new float[layout.size()];
            double loss = lossAndGradient(theta, z, batch, grad, null);
            for (int i = 0; i < grad.length; i++) {
                out[i] = theta[i] - learningRate * grad[i];
            }
            return loss;
        }
        check(theta, z, batch);
        // One scratch vector per runtime, taken for the call: a concurrent caller finds none and allocates its own.
        float[] grad = spareGradient.getAndSet(null);
        if (grad == null) {
            grad = new float[layout.size()];
        }
        double loss = accumulate(theta, z, batch, grad, null);
        if (out != theta) {
            System.arraycopy(theta, 0, out, 0, theta.length);
        }
        // out[i] == theta[i] until i is first applied; a repeated row finds its gradient already zeroed: out[i] − 0.
        apply(out, grad, mu, 1, learningRate);
        apply(out, grad, contentBias, width, learningRate);
        apply(out, grad, contentEmb, width * dim, learningRate);
        for (int r = 0; r < batch.size(); r++) {
            int row = batch.rows()[r];
            if (row >= 0) {
                apply(out, grad, itemBias + row, 1, learningRate);
                apply(out, grad, itemEmb + row * dim, dim, learningRate);
            }
        }
        spareGradient.set(grad); // all zero again
        return loss;
    }

    /** {@code out[i] -= rate · grad[i]} and {@code grad[i] = 0} for i in [from, from + length). */
    private static void apply(float[] out, float[] grad, int from, int length, float rate) {
        for (int i = from; i < from + length; i++) {
            out[i] = out[i] - rate * grad[i];
            grad[i] = 0f;
        }
    }

    /**
     * The loss of {@code batch} at (θ, z); writes ∂loss/∂θ into {@code gradTheta} and, when not null, ∂loss/∂z into
     * {@code gradZ}. The prior does not enter the loss, so its gradient is 0.
     */
    public double lossAndGradient(float[] theta, float[] z, CollabBatch batch, float[] gradTheta, float[] gradZ) {
        check(theta, z, batch);
        Checks.length(gradTheta, layout.size(), "gradTheta");
        Arrays.fill(gradTheta, 0f);
        if (gradZ != null) {
            Checks.length(gradZ, dim + 1, "gradZ");
            Arrays.fill(gradZ, 0f);
        }
        return accumulate(theta, z, batch, gradTheta, gradZ);
    }

    /** {@link #lossAndGradient} into gradients that are already zero, without the checks. */
    private double accumulate(float[] theta, float[] z, CollabBatch batch, float[] gradTheta, float[] gradZ) {
        double weightSum = 0;
        for (int r = 0; r < batch.size(); r++) {
            weightSum += batch.weights()[r];
        }
        double loss = 0;
        float[] q = new float[dim];
        for (int r = 0; r < batch.size(); r++) {
            double w = batch.weights()[r];
            if (w == 0) {
                continue;
            }
            double residual = predictRow(theta, z, batch, r, q) - batch.ratings()[r];
            loss += w * residual * residual;
            float g = (float) (2 * w * residual / weightSum);
            gradTheta[mu] += g;
            int row = batch.rows()[r];
            if (row >= 0) {
                gradTheta[itemBias + row] += g;
                for (int k = 0; k < dim; k++) {
                    gradTheta[itemEmb + row * dim + k] += g * z[k];
                }
            }
            for (int f = 0; f < width; f++) {
                float x = batch.content()[r * width + f];
                if (x != 0f) {
                    gradTheta[contentBias + f] += g * x;
                    for (int k = 0; k < dim; k++) {
                        gradTheta[contentEmb + f * dim + k] += g * x * z[k];
                    }
                }
            }
            if (gradZ != null) {
                for (int k = 0; k < dim; k++) {
                    gradZ[k] += g * q[k];
                }
                gradZ[dim] += g;
            }
        }
        loss /= weightSum;
        BitSet seen = new BitSet();
        double reg = config.itemReg();
        for (int r = 0; r < batch.size(); r++) {
            int row = batch.rows()[r];
            if (row < 0 || batch.weights()[r] == 0 || seen.get(row)) {
                continue;
            }
            seen.set(row);
            double norm = theta[itemBias + row] * (double) theta[itemBias + row];
            gradTheta[itemBias + row] += (float) (reg * theta[itemBias + row]);
            for (int k = 0; k < dim; k++) {
                float v = theta[itemEmb + row * dim + k];
                norm += v * (double) v;
                gradTheta[itemEmb + row * dim + k] += (float) (reg * v);
            }
            loss += 0.5 * reg * norm;
        }
        return loss;
    }

    /**
     * Moves the prior toward a user's reconstruction: {@code out[prior] = m + rate · (z − m)}, the rest of θ copied
     * (a Reptile step on the private parameters' initialization). {@code out} may be {@code theta}.
     */
    public void priorStep(float[] theta, float[] z, float rate, float[] out) {
        Checks.length(theta, layout.size(), "theta");
        Checks.length(z, dim + 1, "z");
        Checks.length(out, layout.size(), "out");
        if (out != theta) {
            System.arraycopy(theta, 0, out, 0, theta.length);
        }
        for (int k = 0; k <= dim; k++) {
            out[prior + k] = theta[prior + k] + rate * (z[k] - theta[prior + k]);
        }
    }

    /** z = m: the prior, the private parameters of a user with no ratings. */
    public float[] priorOnly(float[] theta) {
        Checks.length(theta, layout.size(), "theta");
        return Arrays.copyOfRange(theta, prior, prior + dim + 1);
    }

    /** Writes q_i of row {@code r} into {@code q} and returns b_i. */
    private double itemVector(float[] theta, CollabBatch batch, int r, float[] q) {
        int row = batch.rows()[r];
        double bias = 0;
        if (row >= 0) {
            System.arraycopy(theta, itemEmb + row * dim, q, 0, dim);
            bias = theta[itemBias + row];
        } else {
            Arrays.fill(q, 0f);
        }
        for (int f = 0; f < width; f++) {
            float x = batch.content()[r * width + f];
            if (x != 0f) {
                bias += x * theta[contentBias + f];
                for (int k = 0; k < dim; k++) {
                    q[k] += x * theta[contentEmb + f * dim + k];
                }
            }
        }
        return bias;
    }

    private double predictRow(float[] theta, float[] z, CollabBatch batch, int r, float[] q) {
        double s = theta[mu] + itemVector(theta, batch, r, q) + z[dim];
        for (int k = 0; k < dim; k++) {
            s += z[k] * q[k];
        }
        return s;
    }

    private void check(float[] theta, float[] z, CollabBatch batch) {
        Checks.length(theta, layout.size(), "theta");
        Checks.length(z, dim + 1, "z");
        checkBatch(batch);
    }

    private void checkBatch(CollabBatch batch) {
        if (batch.contentWidth() != width) {
            throw new IllegalArgumentException("batch content width must be " + width + ", found "
                    + batch.contentWidth());
        }
        for (int r = 0; r < batch.size(); r++) {
            if (batch.rows()[r] >= config.items()) {
                throw new IllegalArgumentException("rows[" + r + "] must be < " + config.items() + ", found "
                        + batch.rows()[r]);
            }
        }
    }
}
