package io.metafed.sdk;

import io.metafed.model.nn.Batch;
import io.metafed.model.nn.ModelRuntime;
import io.metafed.model.train.InnerLoop;

/**
 * First-order MAML as Per-FedAvg runs it on a device (Fallah et al. 2020, first-order variant): the ratings are
 * split into support and query ({@link SupportQuery}); each of the round's {@code steps} local steps adapts the
 * local copy θₗ on a support minibatch, φ = θₗ − α∇L_s(θₗ), and follows the query gradient at φ,
 * θₗ ← θₗ − β∇L_q(φ). Δ = θₗ − θ is minus β times the summed first-order meta-gradients, which the server averages
 * like any Δ. Scoring uses θ fine-tuned with {@code steps} SGD steps at α on all ratings, which is what the
 * meta-gradient optimized θ for.
 */
final class FomamlLearner implements LocalLearner {
    private final ModelRuntime runtime;

    FomamlLearner(ModelRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public Result train(float[] theta, Batch data, AdaptationConfig config) {
        float[] personalized = personalize(theta, data, config);
        if (config.steps() == 0) {
            double loss = new InnerLoop(runtime).loss(theta, data);
            return new Result(theta.clone(), personalized, loss, loss);
        }
        SupportQuery split = new SupportQuery(data, config.batchSize(), config.seed());
        float[] local = theta.clone();
        float[] phi = new float[theta.length];
        float[] stepped = new float[theta.length];
        double lossBefore = Double.NaN;
        for (int s = 0; s < config.steps(); s++) {
            runtime.sgdStep(local, split.nextSupport(), config.learningRate(), phi);
            // stepped = φ − β∇L_q(φ); adding (stepped − φ) to θₗ is the first-order meta-step.
            double queryLoss = runtime.sgdStep(phi, split.nextQuery(), config.metaStepSize(), stepped);
            requireFinite(queryLoss, s, config);
            if (s == 0) {
                lossBefore = queryLoss;
            }
            for (int j = 0; j < local.length; j++) {
                local[j] += stepped[j] - phi[j];
            }
        }
        runtime.sgdStep(local, split.support, config.learningRate(), phi);
        double lossAfter = new InnerLoop(runtime).loss(phi, split.query);
        requireFinite(lossAfter, config.steps(), config);
        return new Result(local, personalized, lossBefore, lossAfter);
    }

    @Override
    public float[] personalize(float[] theta, Batch data, AdaptationConfig config) {
        float[] phi = theta.clone();
        new InnerLoop(runtime).adapt(phi, data, config.innerLoop());
        return phi;
    }

    private static void requireFinite(double loss, int step, AdaptationConfig config) {
        if (!Double.isFinite(loss)) {
            throw new IllegalStateException("FOMAML diverged: query loss at step " + (step + 1) + " is " + loss
                    + " (learning rates α=" + config.learningRate() + ", β=" + config.metaStepSize() + " too high?)");
        }
    }
}
