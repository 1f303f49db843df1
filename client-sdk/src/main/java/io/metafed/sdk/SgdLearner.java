package io.metafed.sdk;

import io.metafed.model.nn.Batch;
import io.metafed.model.nn.ModelRuntime;
import io.metafed.model.train.InnerLoop;

/**
 * FedAvg and FedReptile on the device: φ = θ, then the shared {@link InnerLoop}'s SGD steps on all ratings. The two
 * differ only in how many steps the round asks for (epochs or a fixed k) and in the server's rule; φ is also the
 * personalized model.
 */
final class SgdLearner implements LocalLearner {
    private final ModelRuntime runtime;

    SgdLearner(ModelRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public Result train(float[] theta, Batch data, AdaptationConfig config) {
        InnerLoop loop = new InnerLoop(runtime);
        float[] phi = theta.clone();
        double[] losses = loop.adapt(phi, data, config.innerLoop());
        double lossAfter = loop.loss(phi, data);
        if (!Double.isFinite(lossAfter)) {
            throw new IllegalStateException("local adaptation diverged: loss after " + config.steps()
                    + " steps is " + lossAfter + " (learning rate " + config.learningRate() + " too high?)");
        }
        return new Result(phi, phi, config.steps() == 0 ? lossAfter : losses[0], lossAfter);
    }

    @Override
    public float[] personalize(float[] theta, Batch data, AdaptationConfig config) {
        return train(theta, data, config).phi();
    }
}
