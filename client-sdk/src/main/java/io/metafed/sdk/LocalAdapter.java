package io.metafed.sdk;

import io.metafed.model.nn.Batch;
import io.metafed.model.nn.ModelRuntime;

/**
 * Local adaptation: φ = θ, then {@code steps} SGD steps on minibatches of the support set. Package-private
 * because it handles the encoded private ratings; only Δ and losses leave through {@link LocalUpdate}.
 */
final class LocalAdapter {
    /** φ and the support losses, see {@link LocalUpdate} for their meaning. */
    record Result(float[] phi, double lossBefore, double lossAfter) {
    }

    private LocalAdapter() {
    }

    static Result adapt(ModelRuntime runtime, Batch support, float[] theta, AdaptationConfig config) {
        float[] phi = theta.clone();
        MinibatchSampler sampler = new MinibatchSampler(support.size(), config.batchSize(), config.seed());
        double lossBefore = Double.NaN;
        for (int s = 0; s < config.steps(); s++) {
            Batch batch = sampler.fullBatch() ? support : rows(support, sampler.next());
            double loss = runtime.sgdStep(phi, batch, config.learningRate(), phi);
            if (s == 0) {
                lossBefore = loss;
            }
            if (!Double.isFinite(loss)) {
                throw new IllegalStateException("local adaptation diverged: loss at step " + (s + 1) + " is " + loss
                        + " (learning rate " + config.learningRate() + " too high?)");
            }
        }
        double lossAfter = loss(runtime, phi, support);
        if (!Double.isFinite(lossAfter)) {
            throw new IllegalStateException("local adaptation diverged: loss after " + config.steps()
                    + " steps is " + lossAfter + " (learning rate " + config.learningRate() + " too high?)");
        }
        return new Result(phi, config.steps() == 0 ? lossAfter : lossBefore, lossAfter);
    }

    /** The weighted MSE Σw(ŷ−y)²/Σw of {@code params} on {@code batch}, the graphs' loss. */
    static double loss(ModelRuntime runtime, float[] params, Batch batch) {
        float[] predicted = runtime.predict(params, batch.features(), batch.size());
        double sum = 0;
        double weights = 0;
        for (int r = 0; r < batch.size(); r++) {
            double residual = predicted[r] - batch.ratings()[r];
            sum += batch.weights()[r] * residual * residual;
            weights += batch.weights()[r];
        }
        return sum / weights;
    }

    /** The rows {@code indices} of {@code batch}, in that order. */
    static Batch rows(Batch batch, int[] indices) {
        int width = batch.width();
        float[] x = new float[indices.length * width];
        float[] y = new float[indices.length];
        float[] w = new float[indices.length];
        for (int r = 0; r < indices.length; r++) {
            System.arraycopy(batch.features(), indices[r] * width, x, r * width, width);
            y[r] = batch.ratings()[indices[r]];
            w[r] = batch.weights()[indices[r]];
        }
        return new Batch(x, y, w, indices.length, width);
    }
}
