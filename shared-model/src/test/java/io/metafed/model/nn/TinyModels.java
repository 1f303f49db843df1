package io.metafed.model.nn;

import io.metafed.model.features.FeatureSchema;
import io.metafed.model.features.FieldSpec;
import java.util.List;
import java.util.SplittableRandom;

/** Small seeded models and batches for gradient checks and parity tests. */
public final class TinyModels {
    private TinyModels() {
    }

    /** Three fields (one multi-hot), 4-d embeddings, hidden layers 5 and 3. */
    public static ModelConfig tinyConfig() {
        FeatureSchema schema = new FeatureSchema(List.of(
                new FieldSpec("a", 3, false), new FieldSpec("g", 4, true), new FieldSpec("c", 2, false)));
        return new ModelConfig(schema, 4, List.of(5, 3));
    }

    /** A batch whose rows follow the schema: one-hot blocks and mean-pooled multi-hot blocks. */
    public static Batch randomBatch(FeatureSchema schema, int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int width = schema.width();
        float[] x = new float[n * width];
        float[] y = new float[n];
        float[] w = new float[n];
        for (int r = 0; r < n; r++) {
            for (int k = 0; k < schema.fields().size(); k++) {
                FieldSpec f = schema.fields().get(k);
                int base = r * width + schema.offset(k);
                if (f.multiHot()) {
                    int count = 0;
                    boolean[] on = new boolean[f.size()];
                    for (int v = 0; v < f.size(); v++) {
                        on[v] = random.nextInt(3) == 0;
                        count += on[v] ? 1 : 0;
                    }
                    for (int v = 0; v < f.size(); v++) {
                        x[base + v] = on[v] ? 1f / count : 0f;
                    }
                } else {
                    x[base + random.nextInt(f.size())] = 1f;
                }
            }
            y[r] = 1 + random.nextInt(5);
            w[r] = r % 4 == 3 ? 0f : 0.5f + (float) random.nextDouble();
        }
        return new Batch(x, y, w, n, width);
    }
}
