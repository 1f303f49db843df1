package io.metafed.model.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtException;
import io.metafed.model.features.FeatureSchema;
import io.metafed.model.nn.Batch;
import io.metafed.model.nn.ModelConfig;
import io.metafed.model.nn.ParamInitializer;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.nn.ReferenceModel;
import io.metafed.model.nn.TinyModels;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Parity of the ONNX graphs, run in ONNX Runtime, with {@link ReferenceModel}. Both compute in float with
 * different summation orders, so agreement is to rounding: 1e-5 absolute on predictions, parameters and loss.
 */
class OnnxParityTest {
    private static final double TOLERANCE = 1e-5;
    private static final ParamLayout TINY = ParamLayout.of(TinyModels.tinyConfig());
    private static final ParamLayout MELU = ParamLayout.of(ModelConfig.melu(FeatureSchema.standard(21, 19)));

    @BeforeEach
    void requireOnnxRuntime() {
        OrtHarness.assumeOnnxEnabled();
    }

    @Test
    void scoring_tinyModel_matchesReferencePredictions() throws OrtException {
        assertScoringParity(TINY, 13);
    }

    @Test
    void scoring_meluModel_matchesReferencePredictions() throws OrtException {
        assertScoringParity(MELU, 64);
    }

    @Test
    void adaptationStep_tinyModelOneStep_matchesReferenceSgdStep() throws OrtException {
        float[] params = initialParams(TINY, 5);
        Batch batch = TinyModels.randomBatch(TINY.config().schema(), 10, 6);
        assertStepParity(TINY, params, batch, 0.05f, 1);
    }

    @Test
    void adaptationStep_meluModelOneStep_matchesReferenceSgdStep() throws OrtException {
        double maxDiff = assertStepParity(MELU, initialParams(MELU, 11), paddedBatch(MELU, 24, 8, 12), 0.05f, 1);
        System.out.printf("MeLU adaptation parity after 1 step: max |diff| = %.3g%n", maxDiff);
    }

    @Test
    void adaptationStep_meluModelTwentyChainedSteps_staysWithinTolerance() throws OrtException {
        double maxDiff = assertStepParity(MELU, initialParams(MELU, 21), paddedBatch(MELU, 24, 8, 22), 0.05f, 20);
        System.out.printf("MeLU adaptation parity after 20 steps: max |diff| = %.3g%n", maxDiff);
    }

    @Test
    void adaptationStep_zeroLearningRate_returnsParamsUnchanged() throws OrtException {
        float[] params = initialParams(TINY, 8);
        try (OrtHarness ort = new OrtHarness(MetafedGraphs.adaptationStep(TINY))) {
            OrtHarness.Step step = ort.step(params, TinyModels.randomBatch(TINY.config().schema(), 6, 9), 0f);
            assertEquals(Arrays.toString(params), Arrays.toString(step.params()));
        }
    }

    @Test
    void adaptationStep_extraPaddingRows_doNotChangeResult() throws OrtException {
        float[] params = initialParams(MELU, 31);
        Batch plain = paddedBatch(MELU, 20, 0, 32);
        Batch padded = paddedBatch(MELU, 20, 12, 32);
        try (OrtHarness ort = new OrtHarness(MetafedGraphs.adaptationStep(MELU))) {
            OrtHarness.Step a = ort.step(params, plain, 0.05f);
            OrtHarness.Step b = ort.step(params, padded, 0.05f);
            assertEquals(a.loss(), b.loss(), 1e-6, "loss");
            assertTrue(maxAbsDiff(a.params(), b.params()) <= 1e-6, "padding rows changed params_out");
        }
    }

    private static void assertScoringParity(ParamLayout layout, int rows) throws OrtException {
        ReferenceModel reference = new ReferenceModel(layout);
        float[] params = initialParams(layout, rows);
        Batch batch = TinyModels.randomBatch(layout.config().schema(), rows, rows + 1);
        float[] expected = reference.predict(params, batch.features(), rows);
        try (OrtHarness ort = new OrtHarness(MetafedGraphs.scoring(layout))) {
            float[] actual = ort.predict(params, batch.features(), rows, batch.width());
            assertEquals(rows, actual.length, "number of predictions");
            for (int r = 0; r < rows; r++) {
                assertEquals(expected[r], actual[r], TOLERANCE, "prediction of row " + r);
            }
        }
    }

    /** Runs {@code steps} chained steps in both implementations; returns the final max |Δparams|. */
    private static double assertStepParity(ParamLayout layout, float[] start, Batch batch, float lr, int steps)
            throws OrtException {
        ReferenceModel reference = new ReferenceModel(layout);
        float[] expected = start.clone();
        float[] actual = start.clone();
        double maxDiff = 0;
        try (OrtHarness ort = new OrtHarness(MetafedGraphs.adaptationStep(layout))) {
            for (int s = 1; s <= steps; s++) {
                double expectedLoss = reference.sgdStep(expected, batch, lr, expected);
                OrtHarness.Step step = ort.step(actual, batch, lr);
                actual = step.params();
                assertEquals(expectedLoss, step.loss(), TOLERANCE, "loss of step " + s);
                maxDiff = maxAbsDiff(expected, actual);
                assertTrue(maxDiff <= TOLERANCE, "max |params_out diff| after step " + s + " was " + maxDiff);
            }
        }
        assertTrue(maxAbsDiff(start, expected) > 1e-3, "the steps should move the parameters");
        return maxDiff;
    }

    /** Initial params plus small noise so that no pre-activation sits exactly on a ReLU kink (biases are 0). */
    private static float[] initialParams(ParamLayout layout, long seed) {
        float[] params = ParamInitializer.initialize(layout, seed, 3.5f);
        SplittableRandom random = new SplittableRandom(seed ^ 0x5eedL);
        for (int i = 0; i < params.length; i++) {
            params[i] += (float) ((random.nextDouble() - 0.5) * 0.1);
        }
        return params;
    }

    /** {@code real} random rows (every fourth with weight 0) followed by {@code padding} all-zero rows. */
    private static Batch paddedBatch(ParamLayout layout, int real, int padding, long seed) {
        Batch b = TinyModels.randomBatch(layout.config().schema(), real, seed);
        int n = real + padding;
        return new Batch(Arrays.copyOf(b.features(), n * b.width()), Arrays.copyOf(b.ratings(), n),
                Arrays.copyOf(b.weights(), n), n, b.width());
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((double) a[i] - b[i]));
        }
        return max;
    }
}
