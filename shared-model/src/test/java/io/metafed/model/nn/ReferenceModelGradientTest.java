package io.metafed.model.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.model.features.FeatureSchema;
import org.junit.jupiter.api.Test;

/**
 * Finite-difference checks of the reference backward pass. The loss is evaluated in double precision via
 * {@link #lossInDouble} so the central difference is not swamped by float rounding. Tolerance: 1e-4 absolute
 * plus 1e-3 relative covers the float rounding of the analytic gradient; a failure means a wrong derivative
 * unless a perturbation of 1e-5 crosses a ReLU kink, which the fixed seeds here do not.
 */
class ReferenceModelGradientTest {

    @Test
    void lossAndGradient_tinyModel_matchesCentralDifferences() {
        ParamLayout layout = ParamLayout.of(TinyModels.tinyConfig());
        ReferenceModel model = new ReferenceModel(layout);
        float[] params = jitter(ParamInitializer.initialize(layout, 7, 3f), 7);
        Batch batch = TinyModels.randomBatch(layout.config().schema(), 9, 11);
        float[] grad = new float[layout.size()];
        model.lossAndGradient(params, batch, grad);

        double eps = 1e-5;
        int nonZero = 0;
        for (int i = 0; i < params.length; i++) {
            double[] p = toDouble(params);
            p[i] += eps;
            double up = lossInDouble(layout, p, batch);
            p[i] -= 2 * eps;
            double down = lossInDouble(layout, p, batch);
            double numeric = (up - down) / (2 * eps);
            String where = "d loss / d params[" + i + "] (" + slotOf(layout, i) + ")";
            assertEquals(numeric, grad[i], 1e-4 + 1e-3 * Math.abs(numeric), where);
            nonZero += Math.abs(grad[i]) > 1e-6 ? 1 : 0;
        }
        assertTrue(nonZero > params.length / 2, "most gradient entries should be non-zero, found " + nonZero);
    }

    @Test
    void lossAndGradient_meluSizedModel_matchesCentralDifferencesOnSampledCoordinates() {
        ModelConfig config = ModelConfig.melu(FeatureSchema.standard(21, 19));
        ParamLayout layout = ParamLayout.of(config);
        ReferenceModel model = new ReferenceModel(layout);
        float[] params = jitter(ParamInitializer.initialize(layout, 3, 3.5f), 3);
        Batch batch = TinyModels.randomBatch(config.schema(), 16, 5);
        float[] grad = new float[layout.size()];
        model.lossAndGradient(params, batch, grad);
        double eps = 1e-5;
        for (TensorSlot slot : layout.slots()) {
            for (int t = 0; t < 5; t++) {
                int i = slot.offset() + (int) ((long) (t * 7919) % slot.size());
                double[] p = toDouble(params);
                p[i] += eps;
                double up = lossInDouble(layout, p, batch);
                p[i] -= 2 * eps;
                double numeric = (up - lossInDouble(layout, p, batch)) / (2 * eps);
                assertEquals(numeric, grad[i], 1e-4 + 1e-3 * Math.abs(numeric), () -> "gradient of " + slot);
            }
        }
    }

    @Test
    void sgdStep_smallLearningRate_reducesLoss() {
        ParamLayout layout = ParamLayout.of(TinyModels.tinyConfig());
        ReferenceModel model = new ReferenceModel(layout);
        float[] params = ParamInitializer.initialize(layout, 1, 3f);
        Batch batch = TinyModels.randomBatch(layout.config().schema(), 12, 2);
        double first = model.sgdStep(params, batch, 0.01f, params);
        double loss = first;
        for (int s = 0; s < 50; s++) {
            loss = model.sgdStep(params, batch, 0.01f, params);
        }
        assertTrue(loss < first, "loss should fall from " + first + ", found " + loss);
    }

    /**
     * Zero biases put pre-activations exactly on the ReLU kink for rows whose inputs are all dead, where the
     * derivative is one-sided; small noise on every parameter moves them off it.
     */
    private static float[] jitter(float[] params, long seed) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        for (int i = 0; i < params.length; i++) {
            params[i] += (float) ((random.nextDouble() - 0.5) * 0.1);
        }
        return params;
    }

    private static String slotOf(ParamLayout layout, int index) {
        for (TensorSlot s : layout.slots()) {
            if (index >= s.offset() && index < s.end()) {
                return s.name() + "+" + (index - s.offset());
            }
        }
        return "?";
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    /** Independent double-precision forward pass written directly from the model equations. */
    static double lossInDouble(ParamLayout layout, double[] p, Batch batch) {
        ModelConfig c = layout.config();
        int width = c.schema().width();
        int dim = c.embeddingDim();
        double total = 0;
        double weights = 0;
        for (int r = 0; r < batch.size(); r++) {
            double[] h = new double[c.concatWidth()];
            for (int k = 0; k < c.schema().fields().size(); k++) {
                TensorSlot e = layout.embedding(k);
                for (int v = 0; v < e.rows(); v++) {
                    double x = batch.features()[r * width + c.schema().offset(k) + v];
                    for (int d = 0; d < dim; d++) {
                        h[k * dim + d] += x * p[e.offset() + v * dim + d];
                    }
                }
            }
            for (int l = 0; l < layout.denseLayers(); l++) {
                TensorSlot w = layout.weight(l);
                TensorSlot b = layout.bias(l);
                double[] a = new double[w.cols()];
                for (int j = 0; j < w.cols(); j++) {
                    a[j] = p[b.offset() + j];
                    for (int i = 0; i < w.rows(); i++) {
                        a[j] += h[i] * p[w.offset() + i * w.cols() + j];
                    }
                    if (l < layout.denseLayers() - 1) {
                        a[j] = Math.max(0, a[j]);
                    }
                }
                h = a;
            }
            double residual = h[0] - batch.ratings()[r];
            total += batch.weights()[r] * residual * residual;
            weights += batch.weights()[r];
        }
        return total / weights;
    }
}
