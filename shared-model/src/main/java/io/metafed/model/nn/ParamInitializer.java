package io.metafed.model.nn;

import io.metafed.model.Checks;
import io.metafed.model.Randoms;
import java.util.SplittableRandom;

/**
 * Seeded random initialization: embeddings ~ N(0, 1/dim), dense weights He-uniform, hidden biases 0 and the
 * output bias at the mean rating so that an untrained model already predicts the global mean.
 */
public final class ParamInitializer {
    private ParamInitializer() {
    }

    public static float[] initialize(ParamLayout layout, long seed, float meanRating) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] params = new float[layout.size()];
        int fields = layout.config().schema().fields().size();
        double embStd = 1.0 / Math.sqrt(layout.config().embeddingDim());
        for (int f = 0; f < fields; f++) {
            TensorSlot s = layout.embedding(f);
            for (int i = s.offset(); i < s.end(); i++) {
                params[i] = (float) (Randoms.gaussian(random) * embStd);
            }
        }
        for (int l = 0; l < layout.denseLayers(); l++) {
            TensorSlot w = layout.weight(l);
            double bound = Math.sqrt(6.0 / w.rows());
            for (int i = w.offset(); i < w.end(); i++) {
                params[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
            }
        }
        params[layout.bias(layout.denseLayers() - 1).offset()] = meanRating;
        return params;
    }

    /**
     * {@code modelParams} with Meta-SGD's inner learning rates appended for {@code layout}
     * ({@link ParamLayout#withInnerRates()}), each at {@code rate}: the step every other algorithm takes. A layout
     * without rates gets {@code modelParams} back as is.
     */
    public static float[] withInnerRates(float[] modelParams, ParamLayout layout, float rate) {
        Checks.length(modelParams, layout.modelSize(), "modelParams");
        if (!layout.hasInnerRates()) {
            return modelParams;
        }
        float[] theta = java.util.Arrays.copyOf(modelParams, layout.size());
        java.util.Arrays.fill(theta, layout.modelSize(), layout.size(), rate);
        return theta;
    }
}
