package io.metafed.model.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The restructured {@link CollabReference} and {@link Cholesky} (scratch reuse, blocked Gram, column Cholesky,
 * side-by-side dot products) against frozen copies of the row-at-a-time code they replaced: every float and double
 * must be equal to the bit, on random batches that cover the edge cases (repeated rows, items outside the catalogue,
 * zero weights, one row, hundreds of rows, dense and sparse content, the special learning rates).
 */
class CollabReferenceBitIdentityTest {
    /** dim, contentWidth, items: tiny, odd, the unit tests', and the simulator's shapes. */
    private static final int[][] SHAPES = {{1, 1, 2}, {2, 3, 1}, {4, 5, 5}, {7, 3, 9}, {16, 28, 40}, {32, 28, 300},
            {33, 9, 12}};
    private static final float[] RATES = {0.05f, 0.5f, 0f, -0f, -0.1f, Float.NaN, Float.POSITIVE_INFINITY};

    static ParamLayout layout(int[] shape) {
        int[] ids = new int[shape[2]];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = 3 + 2 * i;
        }
        return ParamLayout.of(new CollabConfig(ids, shape[1], shape[0], 2.5, 4.0, 0.03));
    }

    static float[] theta(ParamLayout layout, SplittableRandom r, double scale) {
        float[] theta = new float[layout.size()];
        for (int i = 0; i < theta.length; i++) {
            theta[i] = (float) ((r.nextDouble() - 0.5) * scale);
        }
        theta[layout.slot(ParamLayout.MU).offset()] = 3.5f;
        return theta;
    }

    static float[] z(int dim, SplittableRandom r) {
        float[] z = new float[dim + 1];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) (r.nextDouble() - 0.5);
        }
        return z;
    }

    /** {@code size} rows; multi-hot or real content with the constant last column; some rows −1, some weights 0. */
    static CollabBatch batch(ParamLayout layout, int size, SplittableRandom r) {
        CollabConfig c = layout.collab();
        int width = c.contentWidth();
        int[] rows = new int[size];
        float[] x = new float[size * width];
        float[] y = new float[size];
        float[] w = new float[size];
        double density = r.nextDouble() < 0.5 ? 0.12 : r.nextDouble();
        boolean binary = r.nextBoolean();
        for (int i = 0; i < size; i++) {
            rows[i] = r.nextDouble() < 0.1 ? -1 : r.nextInt(c.items());
            for (int f = 0; f < width - 1; f++) {
                if (r.nextDouble() < density) {
                    x[i * width + f] = binary ? 1f : (float) (r.nextDouble() * 2 - 0.5);
                }
            }
            x[i * width + width - 1] = 1f;
            y[i] = 1 + r.nextInt(5);
            double u = r.nextDouble();
            w[i] = u < 0.15 ? 0f : u < 0.6 ? 1f : (float) (r.nextDouble() * 3);
        }
        w[r.nextInt(size)] = 1f; // a positive total
        return new CollabBatch(rows, x, y, w, size, width);
    }

    private static int size(SplittableRandom r, int round) {
        int[] fixed = {1, 2, 3, 4, 5, 7, 8, 9, 300};
        return round < fixed.length ? fixed[round] : 1 + r.nextInt(r.nextBoolean() ? 12 : 300);
    }

    @Test
    void everyOutputMatchesTheRowAtATimeCode_toTheBit() {
        for (int[] shape : SHAPES) {
            ParamLayout layout = layout(shape);
            CollabReference now = new CollabReference(layout); // one instance: its scratch is reused across cases
            CollabReferenceOriginal before = new CollabReferenceOriginal(layout);
            SplittableRandom r = new SplittableRandom(31 * shape[0] + shape[1]);
            for (int round = 0; round < 40; round++) {
                String where = "dim " + shape[0] + ", width " + shape[1] + ", round " + round;
                float[] theta = theta(layout, r, round % 10 == 9 ? 200 : 1);
                CollabBatch batch = batch(layout, size(r, round), r);
                float[] z = before.reconstruct(theta, batch);
                assertArrayEquals(bits(z), bits(now.reconstruct(theta, batch)), "reconstruct, " + where);
                if (round % 3 == 0) {
                    z = before.priorOnly(theta); // FedAvg's z: the prior
                } else if (round % 3 == 1) {
                    z = z(shape[0], r);
                }
                assertArrayEquals(bits(before.predict(theta, z, batch)), bits(now.predict(theta, z, batch)),
                        "predict, " + where);
                float[] g0 = new float[layout.size()];
                float[] g1 = new float[layout.size()];
                float[] gz0 = new float[shape[0] + 1];
                float[] gz1 = new float[shape[0] + 1];
                assertEquals(Double.doubleToRawLongBits(before.lossAndGradient(theta, z, batch, g0, gz0)),
                        Double.doubleToRawLongBits(now.lossAndGradient(theta, z, batch, g1, gz1)), "loss, " + where);
                assertArrayEquals(bits(g0), bits(g1), "gradTheta, " + where);
                assertArrayEquals(bits(gz0), bits(gz1), "gradZ, " + where);
                assertEquals(Double.doubleToRawLongBits(before.lossAndGradient(theta, z, batch, g0, null)),
                        Double.doubleToRawLongBits(now.lossAndGradient(theta, z, batch, g1, null)),
                        "loss without gradZ, " + where);
                assertArrayEquals(bits(g0), bits(g1), "gradTheta without gradZ, " + where);
                float rate = RATES[round % RATES.length];
                float[] out0 = new float[layout.size()];
                float[] out1 = new float[layout.size()];
                assertEquals(Double.doubleToRawLongBits(before.trainStep(theta, z, batch, rate, out0)),
                        Double.doubleToRawLongBits(now.trainStep(theta, z, batch, rate, out1)),
                        "trainStep loss, rate " + rate + ", " + where);
                assertArrayEquals(bits(out0), bits(out1), "trainStep out, rate " + rate + ", " + where);
                // k steps in place on φ, as CollabDevice runs them, with a smaller batch each step.
                float[] phi0 = theta.clone();
                float[] phi1 = theta.clone();
                for (int step = 0; step < 3; step++) {
                    CollabBatch b = batch(layout, size(r, round + step), r);
                    assertEquals(Double.doubleToRawLongBits(before.trainStep(phi0, z, b, 0.05f, phi0)),
                            Double.doubleToRawLongBits(now.trainStep(phi1, z, b, 0.05f, phi1)),
                            "in-place loss, step " + step + ", " + where);
                    assertArrayEquals(bits(phi0), bits(phi1), "in-place φ, step " + step + ", " + where);
                }
            }
        }
    }

    @Test
    void choleskyMatchesTheRowByRowFactorization_toTheBit() {
        SplittableRandom r = new SplittableRandom(5);
        for (int round = 0; round < 200; round++) {
            int n = 1 + r.nextInt(40);
            int rows = r.nextInt(3 * n);
            double[] a = new double[n * n];
            double[] b = new double[n];
            for (int i = 0; i < n; i++) {
                a[i * n + i] = 0.01 + r.nextDouble() * 5;
                b[i] = r.nextDouble() * 10 - 5;
            }
            for (int k = 0; k < rows; k++) {
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    v[i] = r.nextGaussian();
                }
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j <= i; j++) {
                        a[i * n + j] += v[i] * v[j];
                    }
                }
            }
            if (n > 1) {
                a[n - 1] = Double.NaN; // above the diagonal: must not be read
            }
            double[] keep = a.clone();
            double[] expected = CholeskyOriginal.solve(a, b, n);
            double[] actual = Cholesky.solve(a, b, n);
            for (int i = 0; i < n; i++) {
                assertEquals(Double.doubleToRawLongBits(expected[i]), Double.doubleToRawLongBits(actual[i]),
                        "x[" + i + "], n " + n + ", round " + round);
            }
            assertArrayEquals(keep, a, 0.0, "solve must not change a");
        }
    }

    @Test
    void aNonPositivePivot_failsAtTheSamePivotWithTheSameMessage() {
        int n = 4;
        double[] a = {4, 0, 0, 0, 2, 1, 0, 0, 1, 0.5, 3, 0, 0, 0, 0, -1};
        double[] b = {1, 2, 3, 4};
        String expected = assertThrows(IllegalStateException.class, () -> CholeskyOriginal.solve(a, b, n))
                .getMessage();
        assertEquals(expected, assertThrows(IllegalStateException.class, () -> Cholesky.solve(a, b, n)).getMessage());
        ParamLayout layout = layout(SHAPES[2]);
        float[] theta = theta(layout, new SplittableRandom(3), 1);
        theta[layout.slot(ParamLayout.CONTENT_EMB).offset() + (SHAPES[2][1] - 1) * SHAPES[2][0]] = Float.NaN; // constant column
        CollabBatch batch = batch(layout, 20, new SplittableRandom(4));
        String before = assertThrows(IllegalStateException.class,
                () -> new CollabReferenceOriginal(layout).reconstruct(theta, batch)).getMessage();
        assertEquals(before, assertThrows(IllegalStateException.class,
                () -> new CollabReference(layout).reconstruct(theta, batch)).getMessage());
    }

    @Test
    void concurrentCallersOnOneInstance_eachGetTheirOwnBitIdenticalResults() throws Exception {
        ParamLayout layout = layout(SHAPES[5]);
        CollabReference shared = new CollabReference(layout);
        CollabReferenceOriginal before = new CollabReferenceOriginal(layout);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> jobs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                long seed = 100 + t;
                jobs.add(pool.submit(() -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    for (int i = 0; i < 30; i++) {
                        float[] theta = theta(layout, r, 1);
                        CollabBatch batch = batch(layout, 1 + r.nextInt(200), r);
                        float[] z = before.reconstruct(theta, batch);
                        assertArrayEquals(bits(z), bits(shared.reconstruct(theta, batch)), "reconstruct");
                        float[] phi0 = theta.clone();
                        float[] phi1 = theta.clone();
                        assertEquals(before.trainStep(phi0, z, batch, 0.05f, phi0),
                                shared.trainStep(phi1, z, batch, 0.05f, phi1), 0.0, "loss");
                        assertArrayEquals(bits(phi0), bits(phi1), "trainStep");
                        assertArrayEquals(bits(before.predict(phi0, z, batch)), bits(shared.predict(phi1, z, batch)),
                                "predict");
                    }
                    return null;
                }));
            }
            for (Future<?> job : jobs) {
                job.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static int[] bits(float[] values) {
        int[] bits = new int[values.length];
        for (int i = 0; i < bits.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        return bits;
    }
}
