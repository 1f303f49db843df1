package io.metafed.model.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CollabReferenceTest {
    static final int DIM = 4;
    static final int CONTENT = 5;

    static ParamLayout layout() {
        return ParamLayout.of(new CollabConfig(new int[] {3, 7, 11, 20, 42}, CONTENT, DIM, 2.0, 3.0, 0.05));
    }

    static float[] randomTheta(ParamLayout layout, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] theta = new float[layout.size()];
        for (int i = 0; i < theta.length; i++) {
            theta[i] = (float) (r.nextDouble() - 0.5);
        }
        theta[layout.slot(ParamLayout.MU).offset()] = 3.5f;
        return theta;
    }

    /** Six rows over rows 0..4 and one item outside the catalogue (−1); one padding row of weight 0. */
    static CollabBatch batch(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = 7;
        int[] rows = {0, 2, 2, 4, -1, 1, 3};
        float[] x = new float[n * CONTENT];
        float[] y = new float[n];
        float[] w = {1, 1, 0.5f, 2, 1, 1, 0};
        for (int i = 0; i < n; i++) {
            for (int f = 0; f < CONTENT; f++) {
                x[i * CONTENT + f] = r.nextDouble() < 0.5 ? 0f : (float) r.nextDouble();
            }
            y[i] = 1 + (float) Math.floor(r.nextDouble() * 5);
        }
        return new CollabBatch(rows, x, y, w, n, CONTENT);
    }

    static float[] z(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] z = new float[DIM + 1];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) (r.nextDouble() - 0.5);
        }
        return z;
    }

    @Test
    void lossAndGradient_matchCentralFiniteDifferences() {
        ParamLayout layout = layout();
        CollabReference model = new CollabReference(layout);
        float[] theta = randomTheta(layout, 1);
        float[] zz = z(2);
        CollabBatch b = batch(3);
        float[] grad = new float[layout.size()];
        float[] gradZ = new float[DIM + 1];
        model.lossAndGradient(theta, zz, b, grad, gradZ);
        double h = 1e-3;
        for (int i = 0; i < theta.length; i++) {
            float keep = theta[i];
            theta[i] = (float) (keep + h);
            double plus = model.lossAndGradient(theta, zz, b, new float[theta.length], null);
            theta[i] = (float) (keep - h);
            double minus = model.lossAndGradient(theta, zz, b, new float[theta.length], null);
            theta[i] = keep;
            double numeric = (plus - minus) / (2 * h);
            assertEquals(numeric, grad[i], 2e-3 * Math.max(1, Math.abs(numeric)), "d loss / d theta[" + i + "]");
        }
        for (int k = 0; k <= DIM; k++) {
            float keep = zz[k];
            zz[k] = (float) (keep + h);
            double plus = model.lossAndGradient(theta, zz, b, new float[theta.length], null);
            zz[k] = (float) (keep - h);
            double minus = model.lossAndGradient(theta, zz, b, new float[theta.length], null);
            zz[k] = keep;
            assertEquals((plus - minus) / (2 * h), gradZ[k], 2e-3, "d loss / d z[" + k + "]");
        }
    }

    @Test
    void prior_hasNoGradient_andRowsOutsideTheBatchStayZero() {
        ParamLayout layout = layout();
        float[] grad = new float[layout.size()];
        new CollabReference(layout).lossAndGradient(randomTheta(layout, 4), z(5), batch(6), grad, null);
        TensorSlot prior = layout.slot(ParamLayout.PRIOR);
        for (int i = prior.offset(); i < prior.end(); i++) {
            assertEquals(0f, grad[i], "prior gradient");
        }
        // row 3 appears only on the padding row (weight 0): no gradient, no regularization.
        int emb = layout.slot(ParamLayout.ITEM_EMB).offset();
        assertEquals(0f, grad[layout.slot(ParamLayout.ITEM_BIAS).offset() + 3]);
        for (int k = 0; k < DIM; k++) {
            assertEquals(0f, grad[emb + 3 * DIM + k]);
        }
    }

    @Test
    void reconstruct_minimizesTheRidgeObjective() {
        ParamLayout layout = layout();
        CollabReference model = new CollabReference(layout);
        float[] theta = randomTheta(layout, 7);
        CollabBatch b = batch(8);
        float[] zz = model.reconstruct(theta, b);
        double best = ridgeObjective(model, layout, theta, zz, b);
        SplittableRandom r = new SplittableRandom(9);
        for (int trial = 0; trial < 50; trial++) {
            float[] other = zz.clone();
            other[r.nextInt(other.length)] += (float) ((r.nextDouble() < 0.5 ? -1 : 1) * (0.01 + 0.05 * r.nextDouble()));
            assertTrue(ridgeObjective(model, layout, theta, other, b) >= best + 1e-6, "perturbed z is not better");
        }
    }

    @Test
    void reconstruct_isBitIdenticalToSolvingTheFullGram() {
        // reconstruct accumulates only the Gram's lower triangle, all Cholesky.solve reads: the same z to the bit as
        // the full symmetric system written out here in the same order.
        ParamLayout layout = layout();
        CollabConfig c = layout.collab();
        float[] theta = randomTheta(layout, 9);
        CollabBatch batch = batch(10);
        int n = DIM + 1;
        int prior = layout.slot(ParamLayout.PRIOR).offset();
        double[] a = new double[n * n];
        double[] b = new double[n];
        for (int k = 0; k < n; k++) {
            double lambda = k < DIM ? c.lambdaUser() : c.lambdaBias();
            a[k * n + k] = lambda;
            b[k] = lambda * theta[prior + k];
        }
        int mu = layout.slot(ParamLayout.MU).offset();
        int itemBias = layout.slot(ParamLayout.ITEM_BIAS).offset();
        int itemEmb = layout.slot(ParamLayout.ITEM_EMB).offset();
        int contentBias = layout.slot(ParamLayout.CONTENT_BIAS).offset();
        int contentEmb = layout.slot(ParamLayout.CONTENT_EMB).offset();
        for (int r = 0; r < batch.size(); r++) {
            double w = batch.weights()[r];
            if (w == 0) {
                continue;
            }
            float[] q = new float[DIM];
            double bi = 0;
            int row = batch.rows()[r];
            if (row >= 0) {
                System.arraycopy(theta, itemEmb + row * DIM, q, 0, DIM);
                bi = theta[itemBias + row];
            }
            for (int f = 0; f < CONTENT; f++) {
                float x = batch.content()[r * CONTENT + f];
                if (x != 0f) {
                    bi += x * theta[contentBias + f];
                    for (int k = 0; k < DIM; k++) {
                        q[k] += x * theta[contentEmb + f * DIM + k];
                    }
                }
            }
            double[] phi = new double[n];
            for (int k = 0; k < DIM; k++) {
                phi[k] = q[k];
            }
            phi[DIM] = 1;
            double t = batch.ratings()[r] - theta[mu] - bi;
            for (int i = 0; i < n; i++) {
                double wi = w * phi[i];
                b[i] += wi * t;
                for (int j = 0; j < n; j++) {
                    a[i * n + j] += wi * phi[j];
                }
            }
        }
        double[] full = Cholesky.solve(a, b, n);
        float[] expected = new float[n];
        for (int k = 0; k < n; k++) {
            expected[k] = (float) full[k];
        }
        assertArrayEquals(expected, new CollabReference(layout).reconstruct(theta, batch), 0f);
    }

    @Test
    void reconstruct_withNoRatings_isThePrior() {
        ParamLayout layout = layout();
        CollabReference model = new CollabReference(layout);
        float[] theta = randomTheta(layout, 10);
        // A batch must have positive weight, so use a tiny weight: z is then the prior within 1e-6.
        assertThrows(IllegalArgumentException.class, () -> new CollabBatch(new int[] {0}, new float[CONTENT],
                new float[] {4}, new float[] {0}, 1, CONTENT));
        CollabBatch tiny = new CollabBatch(new int[] {0}, new float[CONTENT], new float[] {4}, new float[] {1e-9f}, 1,
                CONTENT);
        assertArrayEquals(model.priorOnly(theta), model.reconstruct(theta, tiny), 1e-6f);
    }

    @Test
    void unknownItem_isScoredByContentAlone() {
        ParamLayout layout = layout();
        CollabReference model = new CollabReference(layout);
        float[] theta = randomTheta(layout, 11);
        CollabBatch b = batch(12);
        float[] before = model.predict(theta, z(13), b);
        // Changing every item row leaves the row of the item outside the catalogue (index 4) unchanged.
        TensorSlot emb = layout.slot(ParamLayout.ITEM_EMB);
        for (int i = emb.offset(); i < emb.end(); i++) {
            theta[i] += 0.3f;
        }
        float[] after = model.predict(theta, z(13), b);
        assertEquals(before[4], after[4], 0f);
        assertNotEquals(before[0], after[0]);
    }

    @Test
    void privateParameters_areNotInTheta() {
        ParamLayout layout = layout();
        assertEquals(DIM + 1, layout.privateSize());
        assertEquals(1 + 5 + 5 * DIM + CONTENT + CONTENT * DIM + DIM + 1, layout.size());
        for (TensorSlot s : layout.slots()) {
            assertTrue(!s.name().startsWith("user."), s.name() + " must not be shared");
        }
        assertEquals(ParamLayout.USER_FACTORS, layout.privateSlots().get(0).name());
    }

    /** θ − rate · ∂loss/∂θ over every entry, as the step was written before it went sparse. */
    private static float[] denseStep(CollabReference model, float[] theta, float[] z, CollabBatch b, float rate) {
        float[] grad = new float[theta.length];
        model.lossAndGradient(theta, z, b, grad, null);
        float[] out = new float[theta.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = theta[i] - rate * grad[i];
        }
        return out;
    }

    @Test
    void trainStep_isBitIdenticalToTheDenseStep_inPlaceOrNot_acrossCalls() {
        ParamLayout layout = layout();
        CollabReference model = new CollabReference(layout);
        float[] theta = randomTheta(layout, 21);
        theta[layout.slot(ParamLayout.ITEM_BIAS).offset() + 3] = -0f; // untouched −0 must stay −0
        float[] z = z(22);
        // The batch repeats row 2, has an item outside the catalogue and a padding row of weight 0.
        for (float rate : new float[] {0.05f, 0f, -0f, -0.1f, Float.NaN}) {
            float[] expected = theta.clone();
            float[] inPlace = theta.clone();
            for (int step = 0; step < 3; step++) {
                CollabBatch b = batch(23 + step);
                float[] apart = new float[theta.length];
                double loss = model.trainStep(expected, z, b, rate, apart);
                float[] dense = denseStep(model, expected, z, b, rate);
                assertArrayEquals(intBits(dense), intBits(apart), "out apart, rate " + rate + ", step " + step);
                assertEquals(loss, model.trainStep(inPlace, z, b, rate, inPlace), 0.0);
                assertArrayEquals(intBits(dense), intBits(inPlace), "in place, rate " + rate + ", step " + step);
                expected = dense;
            }
        }
    }

    private static int[] intBits(float[] values) {
        int[] bits = new int[values.length];
        for (int i = 0; i < bits.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        return bits;
    }

    private static double ridgeObjective(CollabReference model, ParamLayout layout, float[] theta, float[] zz,
                                         CollabBatch b) {
        float[] pred = model.predict(theta, zz, b);
        double s = 0;
        for (int r = 0; r < b.size(); r++) {
            double e = pred[r] - b.ratings()[r];
            s += b.weights()[r] * e * e;
        }
        int prior = layout.slot(ParamLayout.PRIOR).offset();
        CollabConfig c = layout.collab();
        for (int k = 0; k <= DIM; k++) {
            double d = zz[k] - theta[prior + k];
            s += (k < DIM ? c.lambdaUser() : c.lambdaBias()) * d * d;
        }
        return s;
    }
}
