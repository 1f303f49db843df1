package io.metafed.sdk.runtime;

import io.metafed.model.nn.CollabBatch;
import io.metafed.model.nn.CollabConfig;
import io.metafed.model.nn.ParamLayout;
import java.util.SplittableRandom;

/** Layouts, random parameters and batches for the collaborative runtime tests. */
final class CollabFixtures {
    /** Five items, content width 5, d = 4; a large item L2 so a penalty counted twice is far outside tolerance. */
    static final ParamLayout SMALL = ParamLayout.of(new CollabConfig(new int[] {3, 7, 11, 20, 42}, 5, 4, 2.0, 3.0,
            0.5));
    /** Sized like MovieLens-100K: 1,682 items, 28 content columns, the default d = 16, λ and item L2. */
    static final ParamLayout MOVIELENS = ParamLayout.of(CollabConfig.defaults(range(1, 1682), 28));

    private CollabFixtures() {
    }

    static int[] range(int from, int to) {
        int[] ids = new int[to - from + 1];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = from + i;
        }
        return ids;
    }

    /** Every entry uniform in [−0.5, 0.5) (item rows, content tower and prior alike), μ = 3.5. */
    static float[] theta(ParamLayout layout, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] theta = new float[layout.size()];
        for (int i = 0; i < theta.length; i++) {
            theta[i] = (float) (r.nextDouble() - 0.5);
        }
        theta[layout.slot(ParamLayout.MU).offset()] = 3.5f;
        return theta;
    }

    static float[] z(ParamLayout layout, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] z = new float[layout.privateSize()];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) (r.nextDouble() - 0.5);
        }
        return z;
    }

    /**
     * {@code n} rows: about 1 in 8 outside the catalogue (−1), rows drawn from a pool of {@code max(2, n/4)} table
     * rows so they repeat, about 1 in 6 padding rows (weight 0) and weights 0.5..2 otherwise; sparse content like
     * genre flags plus a few dense columns; ratings 1..5. Row 0 always has weight 1, so the sum is positive.
     */
    static CollabBatch batch(ParamLayout layout, int n, long seed) {
        CollabConfig c = layout.collab();
        SplittableRandom r = new SplittableRandom(seed);
        int width = c.contentWidth();
        int[] pool = new int[Math.max(2, n / 4)];
        for (int i = 0; i < pool.length; i++) {
            pool[i] = r.nextInt(c.items());
        }
        int[] rows = new int[n];
        float[] x = new float[n * width];
        float[] y = new float[n];
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            rows[i] = r.nextInt(8) == 0 ? -1 : pool[r.nextInt(pool.length)];
            for (int f = 0; f < width; f++) {
                double u = r.nextDouble();
                x[i * width + f] = f % 7 == 0 ? (float) u : u < 0.8 ? 0f : 1f;
            }
            y[i] = 1 + r.nextInt(5);
            w[i] = i > 0 && r.nextInt(6) == 0 ? 0f : 0.5f + 0.5f * r.nextInt(4);
        }
        return new CollabBatch(rows, x, y, w, n, width);
    }
}
