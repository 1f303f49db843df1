package io.metafed.sdk;

import io.metafed.model.nn.Batch;
import io.metafed.model.nn.ModelRuntime;
import io.metafed.model.train.InnerLoop;

/**
 * Local adaptation: φ = θ, then the shared {@link InnerLoop}'s steps on the support set. Package-private because
 * it handles the encoded private ratings; only Δ and losses leave through {@link LocalUpdate}.
 */
final class LocalAdapter {
    /** φ and the support losses, see {@link LocalUpdate} for their meaning. */
    record Result(float[] phi, double lossBefore, double lossAfter) {
    }

    private LocalAdapter() {
    }

    static Result adapt(ModelRuntime runtime, Batch support, float[] theta, AdaptationConfig config) {
        InnerLoop loop = new InnerLoop(runtime);
        float[] phi = theta.clone();
        double[] losses = loop.adapt(phi, support, config.innerLoop());
        double lossAfter = loop.loss(phi, support);
        if (!Double.isFinite(lossAfter)) {
            throw new IllegalStateException("local adaptation diverged: loss after " + config.steps()
                    + " steps is " + lossAfter + " (learning rate " + config.learningRate() + " too high?)");
        }
        return new Result(phi, config.steps() == 0 ? lossAfter : losses[0], lossAfter);
    }
}
