package io.metafed.sdk;

import io.metafed.model.nn.Batch;
import io.metafed.model.nn.ModelRuntime;
import io.metafed.model.train.MinibatchSampler;
import java.util.Arrays;

/**
 * Meta-SGD on a device (Li et al. 2017), first order. The shared vector is [θ, α] ({@link
 * io.metafed.model.nn.ParamLayout#withInnerRates()}): α is a learning rate per model parameter. Each of the round's {@code steps}
 * local steps, on a support minibatch and a query minibatch ({@link SupportQuery}):
 * <pre>
 *   g_s = ∇L_s(θₗ)      φ = θₗ − α∘g_s      g_q = ∇L_q(φ)
 *   θₗ ← θₗ − β·g_q     αₗ ← αₗ + β·g_q∘g_s      (∂L_q(φ)/∂α = −g_q∘g_s; ∂φ/∂θ ≈ I, first order)
 * </pre>
 * Δ = [θₗ − θ, αₗ − α] goes to the server, which averages α like θ. Scoring uses θ personalized with the
 * learned rates: {@code steps} steps φ ← φ − α∘∇L(φ) on all ratings.
 * <p>
 * The rates are kept in [0, {@value #MAX_RATE_FACTOR} × the task's learning rate]: with the first-order
 * meta-gradient g_q∘g_s, rates of parameters whose support and query gradients agree grow every round without
 * bound, until the inner steps diverge (measured: every client of the MeLU model on the synthetic data after
 * about 70 rounds without the bound). The task's learning rate is α's starting value, so the bound is a trust
 * region around it; a negative rate would step uphill.
 */
final class MetaSgdLearner implements LocalLearner {
    /** How far above the task's learning rate a learned rate may go. */
    static final float MAX_RATE_FACTOR = 4f;

    private final ModelRuntime runtime;
    private final int size;

    /** @param modelSize the model's own parameters; θ holds as many inner learning rates after them */
    MetaSgdLearner(ModelRuntime runtime, int modelSize) {
        this.runtime = runtime;
        this.size = modelSize;
    }

    @Override
    public Result train(float[] theta, Batch data, AdaptationConfig config) {
        float[] personalized = personalize(theta, data, config);
        float[] local = Arrays.copyOf(theta, size);
        float[] alpha = Arrays.copyOfRange(theta, size, 2 * size);
        if (config.steps() == 0) {
            double loss = loss(local, data);
            return new Result(theta.clone(), personalized, loss, loss);
        }
        SupportQuery split = new SupportQuery(data, config.batchSize(), config.seed());
        float maxRate = MAX_RATE_FACTOR * config.learningRate();
        for (int j = 0; j < size; j++) {
            alpha[j] = clamp(alpha[j], maxRate);
        }
        float[] gs = new float[size];
        float[] gq = new float[size];
        float[] phi = new float[size];
        float beta = config.metaStepSize();
        double lossBefore = Double.NaN;
        for (int s = 0; s < config.steps(); s++) {
            runtime.gradient(local, split.nextSupport(), gs);
            for (int j = 0; j < size; j++) {
                phi[j] = local[j] - alpha[j] * gs[j];
            }
            double queryLoss = runtime.gradient(phi, split.nextQuery(), gq);
            requireFinite(queryLoss, s, config);
            if (s == 0) {
                lossBefore = queryLoss;
            }
            for (int j = 0; j < size; j++) {
                local[j] -= beta * gq[j];
                alpha[j] = clamp(alpha[j] + beta * gq[j] * gs[j], maxRate);
            }
        }
        runtime.gradient(local, split.support, gs);
        for (int j = 0; j < size; j++) {
            phi[j] = local[j] - alpha[j] * gs[j];
        }
        double lossAfter = loss(phi, split.query);
        requireFinite(lossAfter, config.steps(), config);
        float[] next = Arrays.copyOf(local, 2 * size);
        System.arraycopy(alpha, 0, next, size, size);
        return new Result(next, personalized, lossBefore, lossAfter);
    }

    @Override
    public float[] personalize(float[] theta, Batch data, AdaptationConfig config) {
        float[] phi = Arrays.copyOf(theta, size);
        float[] g = new float[size];
        float maxRate = MAX_RATE_FACTOR * config.learningRate();
        MinibatchSampler batches = new MinibatchSampler(data.size(), config.batchSize(), config.seed());
        for (int s = 0; s < config.steps(); s++) {
            double loss = runtime.gradient(phi, batches.fullBatch() ? data : data.rows(batches.next()), g);
            requireFinite(loss, s, config);
            for (int j = 0; j < size; j++) {
                phi[j] -= clamp(theta[size + j], maxRate) * g[j];
            }
        }
        return phi;
    }

    private static float clamp(float rate, float max) {
        return rate < 0 ? 0 : Math.min(rate, max);
    }

    private double loss(float[] params, Batch batch) {
        return new io.metafed.model.train.InnerLoop(runtime).loss(params, batch);
    }

    private static void requireFinite(double loss, int step, AdaptationConfig config) {
        if (!Double.isFinite(loss)) {
            throw new IllegalStateException("Meta-SGD diverged: loss at step " + (step + 1) + " is " + loss
                    + " (meta step β=" + config.metaStepSize() + " too high, or the learned rates?)");
        }
    }
}
