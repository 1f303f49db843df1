package io.metafed.sdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.metafed.model.algorithm.FederatedAlgorithm;
import io.metafed.model.nn.Batch;
import io.metafed.model.nn.ModelRuntime;
import io.metafed.model.nn.ParamLayout;
import org.junit.jupiter.api.Test;

/**
 * Each algorithm's device half on a problem small enough to do by hand: a line ŷ = a + b·x fitted by mean squared
 * error, whose gradient is ∂L/∂a = 2·mean(ŷ − y), ∂L/∂b = 2·mean((ŷ − y)·x). The expected Δs below follow each
 * algorithm's published update with that closed-form gradient ({@link #gradient}), not the learners' code.
 */
class LocalLearnersTest {
    /** (x, y) = (1, 2) and (2, 3): both on y = 1 + x. */
    private static final Batch DATA = Batch.unweighted(new float[] {1, 2}, new float[] {2, 3}, 1);
    private static final float[] THETA = {0f, 0f};
    private static final float ALPHA = 0.1f;
    private static final float BETA = 0.5f;

    @Test
    void fedReptile_oneFullBatchStep_isMinusAlphaTimesTheGradient() {
        LocalLearner.Result r = new SgdLearner(new Line()).train(THETA, DATA, config(FederatedAlgorithm.FEDREPTILE, 1));
        // ŷ = 0, residuals (−2, −3): ∂a = 2·(−2.5) = −5, ∂b = 2·(−2 − 6)/2 = −8, so φ = (0.5, 0.8).
        assertArrayEquals(new float[] {0.5f, 0.8f}, r.phi(), 1e-6f);
        assertEquals(6.5, r.lossBefore(), 1e-9); // (4 + 9) / 2
        assertArrayEquals(r.phi(), r.personalized(), "FedReptile scores with what it sends");
    }

    @Test
    void fomaml_oneStep_followsTheQueryGradientAtTheSupportAdaptedPoint() {
        AdaptationConfig config = config(FederatedAlgorithm.FOMAML, 1);
        LocalLearner.Result r = new FomamlLearner(new Line()).train(THETA, DATA, config);
        SupportQuery split = new SupportQuery(DATA, config.batchSize(), config.seed());
        float[] phi = minus(THETA, scale(ALPHA, gradient(THETA, split.support)));
        float[] expected = minus(THETA, scale(BETA, gradient(phi, split.query)));
        assertArrayEquals(expected, r.phi(), 1e-6f);
        assertNotEquals(split.support.features()[0], split.query.features()[0], "the halves are different ratings");
        // Scoring uses θ fine-tuned on all ratings, as FedReptile would: here the same one step.
        assertArrayEquals(new float[] {0.5f, 0.8f}, r.personalized(), 1e-6f);
    }

    @Test
    void metaSgd_oneStep_updatesThetaAndThePerParameterRates() {
        AdaptationConfig config = config(FederatedAlgorithm.META_SGD, 1);
        float[] shared = {0f, 0f, 0.2f, 0.05f}; // θ = (0, 0), α = (0.2, 0.05)
        LocalLearner.Result r = new MetaSgdLearner(new Line(), 2).train(shared, DATA, config);
        SupportQuery split = new SupportQuery(DATA, config.batchSize(), config.seed());
        float[] gs = gradient(THETA, split.support);
        float[] phi = {-0.2f * gs[0], -0.05f * gs[1]};
        float[] gq = gradient(phi, split.query);
        // The rates stay within [0, 4α] of the task's α = 0.1: here both meta-gradients push them above 0.4.
        float max = MetaSgdLearner.MAX_RATE_FACTOR * ALPHA;
        float[] expected = {-BETA * gq[0], -BETA * gq[1], Math.min(max, 0.2f + BETA * gq[0] * gs[0]),
                Math.min(max, 0.05f + BETA * gq[1] * gs[1])};
        assertArrayEquals(expected, r.phi(), 1e-5f);
        assertEquals(max, r.phi()[2], "the bound is reached");
        // With a small β the rates move by exactly β·g_q∘g_s.
        AdaptationConfig small = new AdaptationConfig(FederatedAlgorithm.META_SGD, 1, ALPHA, Integer.MAX_VALUE, 3L,
                1e-3f);
        float[] moved = new MetaSgdLearner(new Line(), 2).train(shared, DATA, small).phi();
        assertEquals(0.2f + 1e-3f * gq[0] * gs[0], moved[2], 1e-6f);
        assertEquals(0.05f + 1e-3f * gq[1] * gs[1], moved[3], 1e-6f);
        // Personalization steps with the learned rates, not the configured α: φ = θ − α∘∇L(all ratings).
        assertArrayEquals(new float[] {-0.2f * -5f, -0.05f * -8f}, r.personalized(), 1e-6f);
    }

    @Test
    void fedAvg_runsAsManyStepsAsTheEpochsAskForTheDevicesData() {
        // Two epochs of batches of one over two ratings: four steps, the same as FedReptile asked for four.
        AdaptationConfig fedAvg = AdaptationConfig.of(io.metafed.model.algorithm.LocalTraining
                .builder(FederatedAlgorithm.FEDAVG).epochs(2).batchSize(1).learningRate(ALPHA).build(), 2, 9L);
        assertEquals(4, fedAvg.steps());
        LocalLearner.Result r = new SgdLearner(new Line()).train(THETA, DATA, fedAvg);
        LocalLearner.Result four = new SgdLearner(new Line()).train(THETA, DATA,
                new AdaptationConfig(FederatedAlgorithm.FEDREPTILE, 4, ALPHA, 1, 9L, ALPHA));
        assertArrayEquals(four.phi(), r.phi());
    }

    @Test
    void registry_refusesAnAlgorithmThatDoesNotFitTheLayout() {
        ParamLayout melu = ParamLayout.of(io.metafed.model.nn.ModelConfig.melu(
                io.metafed.model.features.FeatureSchema.standard(21, 19)));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> LocalLearners.of(FederatedAlgorithm.META_SGD, new Line(), melu));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> LocalLearners.of(FederatedAlgorithm.FEDRECON, new Line(), melu));
        assertEquals(MetaSgdLearner.class,
                LocalLearners.of(FederatedAlgorithm.META_SGD, new Line(), melu.withInnerRates()).getClass());
        assertEquals(FomamlLearner.class, LocalLearners.of(FederatedAlgorithm.FOMAML, new Line(), melu).getClass());
    }

    private static AdaptationConfig config(FederatedAlgorithm algorithm, int steps) {
        return new AdaptationConfig(algorithm, steps, ALPHA, Integer.MAX_VALUE, 3L, BETA);
    }

    /** ∇ of the mean squared error of the line (a, b) on {@code batch}, in closed form. */
    private static float[] gradient(float[] p, Batch batch) {
        double ga = 0;
        double gb = 0;
        for (int r = 0; r < batch.size(); r++) {
            double x = batch.features()[r];
            double e = p[0] + p[1] * x - batch.ratings()[r];
            ga += 2 * e / batch.size();
            gb += 2 * e * x / batch.size();
        }
        return new float[] {(float) ga, (float) gb};
    }

    private static float[] minus(float[] a, float[] b) {
        return new float[] {a[0] - b[0], a[1] - b[1]};
    }

    private static float[] scale(float s, float[] a) {
        return new float[] {s * a[0], s * a[1]};
    }

    /** The line as a runtime: only what the learners call. */
    private static final class Line implements ModelRuntime {
        @Override
        public ParamLayout layout() {
            throw new UnsupportedOperationException("the learners do not need it");
        }

        @Override
        public float[] predict(float[] params, float[] features, int n) {
            float[] y = new float[n];
            for (int r = 0; r < n; r++) {
                y[r] = params[0] + params[1] * features[r];
            }
            return y;
        }

        @Override
        public double sgdStep(float[] params, Batch batch, float learningRate, float[] out) {
            float[] g = LocalLearnersTest.gradient(params, batch);
            float[] predicted = predict(params, batch.features(), batch.size());
            double loss = 0;
            for (int r = 0; r < batch.size(); r++) {
                double e = predicted[r] - batch.ratings()[r];
                loss += e * e / batch.size();
            }
            out[0] = params[0] - learningRate * g[0];
            out[1] = params[1] - learningRate * g[1];
            return loss;
        }
    }
}
