package io.metafed.model.nn;

import io.metafed.model.Checks;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Plain-Java reference of the {@link CollabConfig collaborative model}'s math, the ground truth for gradient checks
 * and ONNX parity tests:
 * <pre>
 *   ŷ    = μ + b_i + b_u + ⟨p_u, q_i⟩                       (q_i, b_i: item row + content tower)
 *   loss = Σ w (ŷ − y)² / Σ w + ½ · itemReg · Σ_{rows j in the batch, once each} (e_j² + ‖E_j‖²)
 *   z    = (Φᵀ W Φ + Λ)⁻¹ (Φᵀ W t + Λ m),   Φ = [q_i, 1], t = y − μ − b_i, Λ = diag(λ_user·1_d, λ_bias)
 * </pre>
 * The ridge system is (d+1)×(d+1), solved by Cholesky in double precision. Thread-safe: its only state is a
 * {@link CollabScratch scratch} (Gram system, Φ rows, predictions, a θ-sized gradient) that one call at a time
 * borrows; a concurrent call allocates its own.
 */
public final class CollabReference implements CollabRuntime {
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
    /** Rows whose independent chains (ŷ, item-row norms) run side by side. */
    static final int BLOCK = 4;
    /** Working memory for one call at a time (its gradient zeroed), or null while a call has it. */
    private final AtomicReference<CollabScratch> spare = new AtomicReference<>();

    public CollabReference(ParamLayout layout) {
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

    @Override
    public ParamLayout layout() {
        return layout;
    }

    @Override
    public float[] predict(float[] theta, float[] z, CollabBatch batch) {
        check(theta, z, batch);
        CollabScratch s = borrow();
        s.ensureRows(batch.size());
        for (int r = 0; r < batch.size(); r++) {
            s.live[r] = r;
        }
        predictLive(theta, z, batch, s, batch.size());
        float[] out = new float[batch.size()];
        for (int r = 0; r < batch.size(); r++) {
            out[r] = (float) s.predicted[r];
        }
        spare.set(s);
        return out;
    }

    @Override
    public float[] reconstruct(float[] theta, CollabBatch support) {
        Checks.length(theta, layout.size(), "theta");
        checkBatch(support);
        int n = dim + 1;
        CollabScratch s = borrow();
        s.ensureRows(1); // itemVector lists the content of one row at a time
        s.ensurePhi(support.size(), n);
        double[][] a = s.gram;
        double[] b = s.rhs;
        for (int k = 0; k < n; k++) {
            double lambda = k < dim ? config.lambdaUser() : config.lambdaBias();
            Arrays.fill(a[k], 0.0);
            a[k][k] = lambda;
            b[k] = lambda * theta[prior + k];
        }
        // Φ, w·Φ and t of every rated row first, then the Gram from them: the same products added to each entry in
        // the same row order as a row-at-a-time update, in loops C2 can vectorize.
        float[] q = s.q[0];
        float[] weights = support.weights();
        float[] ratings = support.ratings();
        int m = 0;
        for (int r = 0; r < support.size(); r++) {
            double w = weights[r];
            if (w == 0) {
                continue;
            }
            double bi = itemVector(theta, support, r, q, s, 0);
            double[] phi = s.phi[m];
            double[] weightedPhi = s.weightedPhi[m];
            for (int k = 0; k < dim; k++) {
                phi[k] = q[k];
            }
            phi[dim] = 1;
            for (int i = 0; i < n; i++) {
                weightedPhi[i] = w * phi[i]; // (w · φᵢ) · φⱼ, as w * phi[i] * phi[j] rounds
            }
            s.target[m] = ratings[r] - theta[mu] - bi;
            m++;
        }
        RidgeGram.accumulate(a, b, s.phi, s.weightedPhi, s.target, m, n);
        Cholesky.solveUpper(a, b, n, s.solution, s.forward);
        float[] z = new float[n];
        for (int k = 0; k < n; k++) {
            z[k] = (float) s.solution[k];
        }
        spare.set(s);
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
    @Override
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
        // The scratch is taken for the call: a concurrent caller finds none and allocates its own.
        CollabScratch s = borrow();
        if (s.gradient == null) {
            s.gradient = new float[layout.size()];
        }
        float[] grad = s.gradient;
        double loss = accumulate(theta, z, batch, grad, null, s);
        if (out != theta) {
            System.arraycopy(theta, 0, out, 0, theta.length);
        }
        // out[i] == theta[i] until i is first applied; a repeated row finds its gradient already zeroed: out[i] − 0.
        apply(out, grad, mu, 1, learningRate);
        apply(out, grad, contentBias, width, learningRate);
        apply(out, grad, contentEmb, width * dim, learningRate);
        int[] rows = batch.rows();
        for (int r = 0; r < batch.size(); r++) {
            int row = rows[r];
            if (row >= 0) {
                apply(out, grad, itemBias + row, 1, learningRate);
                apply(out, grad, itemEmb + row * dim, dim, learningRate);
            }
        }
        spare.set(s); // its gradient all zero again
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
        CollabScratch s = borrow();
        double loss = accumulate(theta, z, batch, gradTheta, gradZ, s);
        spare.set(s);
        return loss;
    }

    /**
     * {@link #lossAndGradient} into gradients that are already zero, without the checks. Every prediction is made
     * before the first gradient entry is written (they read only θ and z), so the rows' dot products can run side
     * by side; the gradient and the loss are then summed row by row in batch order, as before.
     */
    private double accumulate(float[] theta, float[] z, CollabBatch batch, float[] gradTheta, float[] gradZ,
                              CollabScratch s) {
        float[] weights = batch.weights();
        float[] ratings = batch.ratings();
        int[] rows = batch.rows();
        double weightSum = 0;
        for (int r = 0; r < batch.size(); r++) {
            weightSum += weights[r];
        }
        s.ensureRows(batch.size());
        s.ensureTerms(batch.size());
        int[] live = s.live;
        int m = 0;
        for (int r = 0; r < batch.size(); r++) {
            if (weights[r] != 0) {
                live[m++] = r;
            }
        }
        predictLive(theta, z, batch, s, m);
        double[] predicted = s.predicted;
        float[][] terms = s.terms;
        int[] termCount = s.termCount;
        int[] columns = s.columns;
        float[] values = s.values;
        double loss = 0;
        for (int c = 0; c < m; c++) {
            int r = live[c];
            double w = weights[r];
            double residual = predicted[c] - ratings[r];
            loss += w * residual * residual;
            float g = (float) (2 * w * residual / weightSum);
            gradTheta[mu] += g;
            int row = rows[r];
            if (row >= 0) {
                gradTheta[itemBias + row] += g;
                int e = itemEmb + row * dim;
                for (int k = 0; k < dim; k++) {
                    gradTheta[e + k] += g * z[k]; // loads at no offset: the form C2 can vectorize
                }
            }
            // The row's nonzero content columns, in column order, as predictLive listed them.
            for (int i = c * width, end = i + s.nonzeros[c]; i < end; i++) {
                int f = columns[i];
                float x = values[i];
                gradTheta[contentBias + f] += g * x;
                terms[f][termCount[f]++] = g * x; // g * x * z[k] multiplies left to right
            }
            if (gradZ != null) {
                float[] q = s.q[0];
                itemVector(theta, batch, r, q, s, c); // lists row c again, as it was
                for (int k = 0; k < dim; k++) {
                    gradZ[k] += g * q[k];
                }
                gradZ[dim] += g;
            }
        }
        for (int f = 0; f < width; f++) {
            if (termCount[f] > 0) {
                addTerms(gradTheta, contentEmb + f * dim, terms[f], termCount[f], z);
                termCount[f] = 0;
            }
        }
        loss /= weightSum;
        return regularize(theta, batch, gradTheta, s, loss);
    }

    /**
     * {@code grad[e + k] += t_c · z_k} for the terms c = 0..count−1 in order: four terms per pass over k, each
     * product added on its own, so each entry sees the additions one term at a time would make.
     */
    private void addTerms(float[] grad, int e, float[] t, int count, float[] z) {
        int c = 0;
        for (; c + 4 <= count; c += 4) {
            float t0 = t[c];
            float t1 = t[c + 1];
            float t2 = t[c + 2];
            float t3 = t[c + 3];
            for (int k = 0; k < dim; k++) {
                float zk = z[k];
                grad[e + k] = grad[e + k] + t0 * zk + t1 * zk + t2 * zk + t3 * zk;
            }
        }
        for (; c < count; c++) {
            float t0 = t[c];
            for (int k = 0; k < dim; k++) {
                grad[e + k] += t0 * z[k];
            }
        }
    }

    /**
     * Adds ½ · itemReg · (e_j² + ‖E_j‖²) of each item row the batch rates (once per row, in first-seen order) to
     * {@code loss} and its gradient to {@code gradTheta}. The rows' squared norms are independent chains, run
     * {@link #BLOCK} at a time; each is still summed over k in order and added to the loss in row order.
     */
    private double regularize(float[] theta, CollabBatch batch, float[] gradTheta, CollabScratch s, double loss) {
        int[] rows = batch.rows();
        float[] weights = batch.weights();
        s.newStamp(config.items());
        int[] unique = s.live; // the live rows are no longer needed
        int u = 0;
        for (int r = 0; r < batch.size(); r++) {
            int row = rows[r];
            if (row >= 0 && weights[r] != 0 && s.firstSight(row)) {
                unique[u++] = row;
            }
        }
        double reg = config.itemReg();
        int c = 0;
        for (; c + BLOCK <= u; c += BLOCK) {
            int r0 = unique[c];
            int r1 = unique[c + 1];
            int r2 = unique[c + 2];
            int r3 = unique[c + 3];
            double n0 = theta[itemBias + r0] * (double) theta[itemBias + r0];
            double n1 = theta[itemBias + r1] * (double) theta[itemBias + r1];
            double n2 = theta[itemBias + r2] * (double) theta[itemBias + r2];
            double n3 = theta[itemBias + r3] * (double) theta[itemBias + r3];
            int e0 = itemEmb + r0 * dim;
            int e1 = itemEmb + r1 * dim;
            int e2 = itemEmb + r2 * dim;
            int e3 = itemEmb + r3 * dim;
            for (int k = 0; k < dim; k++) {
                float v0 = theta[e0 + k];
                float v1 = theta[e1 + k];
                float v2 = theta[e2 + k];
                float v3 = theta[e3 + k];
                n0 += v0 * (double) v0;
                n1 += v1 * (double) v1;
                n2 += v2 * (double) v2;
                n3 += v3 * (double) v3;
            }
            loss += 0.5 * reg * n0;
            loss += 0.5 * reg * n1;
            loss += 0.5 * reg * n2;
            loss += 0.5 * reg * n3;
        }
        for (; c < u; c++) {
            int row = unique[c];
            double norm = theta[itemBias + row] * (double) theta[itemBias + row];
            int e = itemEmb + row * dim;
            for (int k = 0; k < dim; k++) {
                float v = theta[e + k];
                norm += v * (double) v;
            }
            loss += 0.5 * reg * norm;
        }
        // Each row once, after all the data terms: the same single addition per entry as before. The double
        // products go through a scratch row: C2 (JDK 17) runs float → double → float in one loop ~4× slower than
        // a float → double loop followed by a double → float one.
        double[] scaled = s.row;
        for (c = 0; c < u; c++) {
            int row = unique[c];
            gradTheta[itemBias + row] += (float) (reg * theta[itemBias + row]);
            int e = itemEmb + row * dim;
            for (int k = 0; k < dim; k++) {
                scaled[k] = reg * theta[e + k];
            }
            for (int k = 0; k < dim; k++) {
                gradTheta[e + k] += (float) scaled[k];
            }
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

    /**
     * ŷ of the batch rows {@code s.live[0..count)} into {@code s.predicted[0..count)}. {@link #BLOCK} rows at a
     * time: each ŷ is one chain of dependent double additions over k, so running several side by side hides their
     * latency; each chain still adds the same terms in the same order.
     */
    private void predictLive(float[] theta, float[] z, CollabBatch batch, CollabScratch s, int count) {
        float[] q0 = s.q[0];
        float[] q1 = s.q[1];
        float[] q2 = s.q[2];
        float[] q3 = s.q[3];
        int[] live = s.live;
        double[] predicted = s.predicted;
        int c = 0;
        for (; c + BLOCK <= count; c += BLOCK) {
            double s0 = theta[mu] + itemVector(theta, batch, live[c], q0, s, c) + z[dim];
            double s1 = theta[mu] + itemVector(theta, batch, live[c + 1], q1, s, c + 1) + z[dim];
            double s2 = theta[mu] + itemVector(theta, batch, live[c + 2], q2, s, c + 2) + z[dim];
            double s3 = theta[mu] + itemVector(theta, batch, live[c + 3], q3, s, c + 3) + z[dim];
            // The float products first, in a float-only loop; then the four chains add them in k order.
            for (int k = 0; k < dim; k++) {
                float zk = z[k];
                q0[k] = zk * q0[k];
                q1[k] = zk * q1[k];
                q2[k] = zk * q2[k];
                q3[k] = zk * q3[k];
            }
            for (int k = 0; k < dim; k++) {
                s0 += q0[k];
                s1 += q1[k];
                s2 += q2[k];
                s3 += q3[k];
            }
            predicted[c] = s0;
            predicted[c + 1] = s1;
            predicted[c + 2] = s2;
            predicted[c + 3] = s3;
        }
        for (; c < count; c++) {
            double s0 = theta[mu] + itemVector(theta, batch, live[c], q0, s, c) + z[dim];
            for (int k = 0; k < dim; k++) {
                s0 += z[k] * q0[k];
            }
            predicted[c] = s0;
        }
    }

    /**
     * Writes q_i of row {@code r} into {@code q} and returns b_i; lists the row's nonzero content columns and values
     * in {@code s.columns} and {@code s.values} from {@code at} on (their count in {@code s.nonzeros[slot]}), for the
     * gradient to reuse. The columns are added onto q up to four per pass, each product on its own and in column
     * order: q_k + x₁C₁ₖ + x₂C₂ₖ + … left to right is what adding one column at a time computes, in a quarter of the
     * loops.
     */
    private double itemVector(float[] theta, CollabBatch batch, int r, float[] q, CollabScratch s, int slot) {
        int row = batch.rows()[r];
        double bias = 0;
        if (row >= 0) {
            System.arraycopy(theta, itemEmb + row * dim, q, 0, dim);
            bias = theta[itemBias + row];
        } else {
            Arrays.fill(q, 0, dim, 0f);
        }
        float[] content = batch.content();
        int[] columns = s.columns;
        float[] values = s.values;
        int at = slot * width;
        int end = at;
        int x0 = r * width;
        // Without a branch per column: the content row is a sparse multi-hot whose zeros fall anywhere.
        for (int f = 0; f < width; f++) {
            float x = content[x0 + f];
            columns[end] = f;
            values[end] = x;
            end += x != 0f ? 1 : 0;
        }
        s.nonzeros[slot] = end - at;
        for (int c = at; c < end; c++) {
            bias += values[c] * theta[contentBias + columns[c]];
        }
        int c = at;
        for (; c + 4 <= end; c += 4) {
            int e0 = contentEmb + columns[c] * dim;
            int e1 = contentEmb + columns[c + 1] * dim;
            int e2 = contentEmb + columns[c + 2] * dim;
            int e3 = contentEmb + columns[c + 3] * dim;
            float a0 = values[c];
            float a1 = values[c + 1];
            float a2 = values[c + 2];
            float a3 = values[c + 3];
            for (int k = 0; k < dim; k++) {
                q[k] = q[k] + a0 * theta[e0 + k] + a1 * theta[e1 + k] + a2 * theta[e2 + k] + a3 * theta[e3 + k];
            }
        }
        if (end - c >= 2) {
            int e0 = contentEmb + columns[c] * dim;
            int e1 = contentEmb + columns[c + 1] * dim;
            float a0 = values[c];
            float a1 = values[c + 1];
            for (int k = 0; k < dim; k++) {
                q[k] = q[k] + a0 * theta[e0 + k] + a1 * theta[e1 + k];
            }
            c += 2;
        }
        if (c < end) {
            int e0 = contentEmb + columns[c] * dim;
            float a0 = values[c];
            for (int k = 0; k < dim; k++) {
                q[k] += a0 * theta[e0 + k];
            }
        }
        return bias;
    }

    /** This runtime's scratch if no other call holds it, else a fresh one (returned with {@code spare.set}). */
    private CollabScratch borrow() {
        CollabScratch s = spare.getAndSet(null);
        return s != null ? s : new CollabScratch(dim, width);
    }

    private void check(float[] theta, float[] z, CollabBatch batch) {
        Checks.length(theta, layout.size(), "theta");
        Checks.length(z, dim + 1, "z");
        checkBatch(batch);
    }

    private void checkBatch(CollabBatch batch) {
        batch.requireFits(config, "batch");
    }
}
