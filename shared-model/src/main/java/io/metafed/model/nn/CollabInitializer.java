package io.metafed.model.nn;

import io.metafed.model.Randoms;
import java.util.SplittableRandom;

/**
 * Seeded initialization of the collaborative model: μ at the mean rating, item rows and biases 0 (an item nobody
 * rated is scored by its content alone, not by noise), the content tower's vectors ~ N(0, 0.1²) (which breaks the
 * symmetry between factors) and a zero prior.
 */
public final class CollabInitializer {
    static final double CONTENT_STD = 0.1;

    private CollabInitializer() {
    }

    public static float[] initialize(ParamLayout layout, long seed, float meanRating) {
        layout.collab();
        SplittableRandom random = new SplittableRandom(seed);
        float[] theta = new float[layout.size()];
        theta[layout.slot(ParamLayout.MU).offset()] = meanRating;
        TensorSlot content = layout.slot(ParamLayout.CONTENT_EMB);
        for (int i = content.offset(); i < content.end(); i++) {
            theta[i] = (float) (Randoms.gaussian(random) * CONTENT_STD);
        }
        return theta;
    }
}
