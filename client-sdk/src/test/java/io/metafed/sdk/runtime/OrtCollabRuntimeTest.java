package io.metafed.sdk.runtime;

import static io.metafed.sdk.runtime.CollabFixtures.MOVIELENS;
import static io.metafed.sdk.runtime.CollabFixtures.SMALL;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.model.nn.CollabBatch;
import io.metafed.model.nn.CollabReference;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.nn.TensorSlot;
import io.metafed.sdk.SdkFixtures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link OrtCollabRuntime} against {@link CollabReference}, the ground truth. Both compute q_i in float with
 * different summation orders, so agreement is to rounding: 1e-5 absolute on predictions, z, θ and the loss.
 */
class OrtCollabRuntimeTest {
    private static final double TOLERANCE = 1e-5;
    private final List<OrtCollabRuntime> opened = new ArrayList<>();

    @BeforeEach
    void requireOnnxRuntime() {
        SdkFixtures.assumeOnnxEnabled();
    }

    @AfterEach
    void close() {
        opened.forEach(OrtCollabRuntime::close);
    }

    private OrtCollabRuntime open(ParamLayout layout) {
        OrtCollabRuntime runtime = new OrtCollabRuntime(layout);
        opened.add(runtime);
        return runtime;
    }

    @Test
    void predict_smallLayout_matchesReference() {
        assertPredictParity(SMALL, 37, 1);
    }

    @Test
    void predict_movieLensLayout_matchesReference() {
        // 150 rows: more than the initial buffers, so they grow.
        OrtCollabRuntime runtime = assertPredictParity(MOVIELENS, 150, 2);
        assertTrue(runtime.contentRowCapacity() >= 150, "content buffer grew to the batch");
    }

    @Test
    void predict_itemOutsideCatalogue_ignoresEveryItemRow() {
        OrtCollabRuntime runtime = open(SMALL);
        float[] theta = CollabFixtures.theta(SMALL, 3);
        float[] z = CollabFixtures.z(SMALL, 4);
        CollabBatch batch = CollabFixtures.batch(SMALL, 12, 5);
        CollabBatch unknown = new CollabBatch(new int[] {-1, -1}, java.util.Arrays.copyOf(batch.content(), 10),
                new float[] {3, 4}, new float[] {1, 1}, 2, 5);
        float[] before = runtime.predict(theta, z, unknown);
        for (String slot : List.of(ParamLayout.ITEM_BIAS, ParamLayout.ITEM_EMB)) {
            TensorSlot s = SMALL.slot(slot);
            for (int i = s.offset(); i < s.end(); i++) {
                theta[i] += 0.25f;
            }
        }
        assertArrayEquals(before, runtime.predict(theta, z, unknown), 0f);
        assertArrayEquals(new CollabReference(SMALL).predict(theta, z, unknown), before, (float) TOLERANCE);
    }

    @Test
    void reconstruct_smallLayout_matchesReference() {
        assertReconstructParity(SMALL, 9, 6);
        assertReconstructParity(SMALL, 40, 7);
    }

    @Test
    void reconstruct_movieLensLayout_matchesReference() {
        assertReconstructParity(MOVIELENS, 20, 8);
        assertReconstructParity(MOVIELENS, 300, 9);
    }

    @Test
    void trainStep_smallLayoutOneStep_matchesReference() {
        assertStepParity(SMALL, 16, 0.05f, 1, 10);
    }

    @Test
    void trainStep_movieLensLayoutTenChainedStepsInPlace_matchReference() {
        assertStepParity(MOVIELENS, 64, 0.05f, 10, 11);
    }

    @Test
    void trainStep_rowRepeatedInTheBatch_isPenalizedOnce() {
        // Row 2 four times, row 4 twice, one unknown item, one padding row of row 1 (no gradient, no penalty).
        int[] rows = {2, 2, 4, -1, 2, 4, 2, 1};
        int n = rows.length;
        float[] x = new float[n * 5];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 3 == 0) ? 1f : 0f;
        }
        float[] y = {5, 4, 1, 3, 2, 5, 4, 3};
        float[] w = {1, 1, 2, 1, 0.5f, 1, 1, 0};
        CollabBatch batch = new CollabBatch(rows, x, y, w, n, 5);
        float[] theta = CollabFixtures.theta(SMALL, 12);
        float[] z = CollabFixtures.z(SMALL, 13);
        float lr = 0.1f;
        float[] expected = new float[theta.length];
        double expectedLoss = new CollabReference(SMALL).trainStep(theta, z, batch, lr, expected);
        float[] actual = new float[theta.length];
        double actualLoss = open(SMALL).trainStep(theta, z, batch, lr, actual);
        assertEquals(expectedLoss, actualLoss, TOLERANCE, "loss");
        assertClose(expected, actual, "theta_out");
        // Counting row 2's penalty four times instead of once would move its bias by 3·lr·itemReg·|e_2|.
        float e2 = theta[SMALL.slot(ParamLayout.ITEM_BIAS).offset() + 2];
        assertTrue(3 * lr * 0.5 * Math.abs(e2) > 100 * TOLERANCE, "the test is sensitive to the penalty count");
        // The padding row's item is untouched.
        int emb1 = SMALL.slot(ParamLayout.ITEM_EMB).offset() + 4;
        for (int k = 0; k < 4; k++) {
            assertEquals(theta[emb1 + k], actual[emb1 + k], 0f, "item row 1 appears only as padding");
        }
    }

    @Test
    void trainStep_twoIntraOpThreadsManyRepeatedRows_matchesReference() {
        // The scatter-add into θ must accumulate duplicate targets without a race when ORT has a thread pool.
        OrtCollabRuntime runtime = new OrtCollabRuntime(MOVIELENS, 2);
        opened.add(runtime);
        int[] few = new int[400];
        for (int i = 0; i < few.length; i++) {
            few[i] = i % 37;
        }
        CollabBatch batch = CollabFixtures.batch(MOVIELENS, 400, 40).select(few);
        float[] theta = CollabFixtures.theta(MOVIELENS, 41);
        float[] z = CollabFixtures.z(MOVIELENS, 42);
        float[] expected = new float[theta.length];
        double expectedLoss = new CollabReference(MOVIELENS).trainStep(theta, z, batch, 0.5f, expected);
        for (int run = 0; run < 20; run++) {
            float[] actual = new float[theta.length];
            assertEquals(expectedLoss, runtime.trainStep(theta, z, batch, 0.5f, actual), TOLERANCE, "loss");
            assertClose(expected, actual, "theta_out of run " + run);
        }
    }

    @Test
    void trainStep_zeroLearningRate_returnsThetaUnchanged() {
        float[] theta = CollabFixtures.theta(MOVIELENS, 14);
        float[] out = new float[theta.length];
        open(MOVIELENS).trainStep(theta, CollabFixtures.z(MOVIELENS, 15), CollabFixtures.batch(MOVIELENS, 30, 16),
                0f, out);
        assertArrayEquals(theta, out, 0f);
    }

    @Test
    void trainStep_extraPaddingRows_doNotChangeResult() {
        OrtCollabRuntime runtime = open(SMALL);
        float[] theta = CollabFixtures.theta(SMALL, 17);
        float[] z = CollabFixtures.z(SMALL, 18);
        CollabBatch plain = CollabFixtures.batch(SMALL, 10, 19);
        int[] order = new int[16];
        for (int i = 0; i < order.length; i++) {
            order[i] = i % 10;
        }
        CollabBatch padded = plain.select(order);
        for (int i = 10; i < 16; i++) {
            padded.weights()[i] = 0f;
        }
        float[] a = new float[theta.length];
        float[] b = new float[theta.length];
        double lossA = runtime.trainStep(theta, z, plain, 0.05f, a);
        double lossB = runtime.trainStep(theta, z, padded, 0.05f, b);
        assertEquals(lossA, lossB, 1e-6, "loss");
        assertArrayEquals(a, b, 1e-6f, "padding rows changed theta_out");
    }

    @Test
    void trainStep_priorIsNotChanged() {
        float[] theta = CollabFixtures.theta(SMALL, 20);
        float[] out = new float[theta.length];
        open(SMALL).trainStep(theta, CollabFixtures.z(SMALL, 21), CollabFixtures.batch(SMALL, 20, 22), 0.5f, out);
        TensorSlot prior = SMALL.slot(ParamLayout.PRIOR);
        for (int i = prior.offset(); i < prior.end(); i++) {
            assertEquals(theta[i], out[i], 0f, "prior entry " + i);
        }
    }

    @Test
    void badInput_isRefusedNamingTheProblem() {
        OrtCollabRuntime runtime = open(SMALL);
        float[] theta = CollabFixtures.theta(SMALL, 23);
        float[] z = CollabFixtures.z(SMALL, 24);
        CollabBatch ok = CollabFixtures.batch(SMALL, 4, 25);
        CollabBatch beyond = new CollabBatch(new int[] {5}, new float[5], new float[] {3}, new float[] {1}, 1, 5);
        CollabBatch narrow = new CollabBatch(new int[] {0}, new float[4], new float[] {3}, new float[] {1}, 1, 4);
        assertMessage("rows[0] must be < 5", () -> runtime.predict(theta, z, beyond));
        assertMessage("content width must be 5", () -> runtime.reconstruct(theta, narrow));
        assertMessage("theta", () -> runtime.trainStep(new float[3], z, ok, 0.1f, new float[theta.length]));
        assertMessage("z", () -> runtime.predict(theta, new float[2], ok));
        assertMessage("learningRate", () -> runtime.trainStep(theta, z, ok, Float.NaN, new float[theta.length]));
        IllegalStateException melu = assertThrows(IllegalStateException.class,
                () -> new OrtCollabRuntime(SdkFixtures.LAYOUT));
        assertTrue(melu.getMessage().contains("not collab"), melu.getMessage());
    }

    @Test
    void close_isIdempotent_andRefusesLaterUse() {
        OrtCollabRuntime runtime = new OrtCollabRuntime(SMALL);
        runtime.close();
        runtime.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> runtime.predict(
                CollabFixtures.theta(SMALL, 1), CollabFixtures.z(SMALL, 2), CollabFixtures.batch(SMALL, 3, 3)));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    /**
     * Not a timed assertion (speed targets live in benchmarks): prints per-call times on the MovieLens-sized layout
     * so a regression to, say, copying the item table per call is visible in the test log.
     */
    @Test
    void movieLensLayout_speedSanity_printsPerCallTimes() {
        OrtCollabRuntime ort = open(MOVIELENS);
        CollabReference reference = new CollabReference(MOVIELENS);
        float[] theta = CollabFixtures.theta(MOVIELENS, 30);
        float[] z = CollabFixtures.z(MOVIELENS, 31);
        CollabBatch batch = CollabFixtures.batch(MOVIELENS, 64, 32);
        float[] out = new float[theta.length];
        int calls = 300;
        double[] ms = new double[6];
        for (int round = 0; round < 2; round++) { // the first round warms up JIT and ORT
            long t0 = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                ort.predict(theta, z, batch);
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                ort.reconstruct(theta, batch);
            }
            long t2 = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                ort.trainStep(theta, z, batch, 0.01f, out);
            }
            long t3 = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                reference.predict(theta, z, batch);
            }
            long t4 = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                reference.reconstruct(theta, batch);
            }
            long t5 = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                reference.trainStep(theta, z, batch, 0.01f, out);
            }
            long t6 = System.nanoTime();
            long[] t = {t0, t1, t2, t3, t4, t5, t6};
            for (int k = 0; k < 6; k++) {
                ms[k] = (t[k + 1] - t[k]) / 1e6 / calls;
            }
        }
        System.out.printf("Collab runtime, MovieLens-sized layout (P=%d), 64-row batch, ms per call:"
                + " ORT predict %.3f reconstruct %.3f trainStep %.3f | reference predict %.3f reconstruct %.3f"
                + " trainStep %.3f%n", MOVIELENS.size(), ms[0], ms[1], ms[2], ms[3], ms[4], ms[5]);
        for (double m : ms) {
            assertTrue(m > 0 && Double.isFinite(m), "measured a time");
        }
    }

    private OrtCollabRuntime assertPredictParity(ParamLayout layout, int n, long seed) {
        OrtCollabRuntime runtime = open(layout);
        float[] theta = CollabFixtures.theta(layout, seed);
        float[] z = CollabFixtures.z(layout, seed + 100);
        CollabBatch batch = CollabFixtures.batch(layout, n, seed + 200);
        float[] expected = new CollabReference(layout).predict(theta, z, batch);
        float[] actual = runtime.predict(theta, z, batch);
        assertEquals(n, actual.length, "number of predictions");
        assertClose(expected, actual, "prediction");
        return runtime;
    }

    private void assertReconstructParity(ParamLayout layout, int n, long seed) {
        float[] theta = CollabFixtures.theta(layout, seed);
        CollabBatch support = CollabFixtures.batch(layout, n, seed + 100);
        float[] expected = new CollabReference(layout).reconstruct(theta, support);
        float[] actual = open(layout).reconstruct(theta, support);
        assertClose(expected, actual, "z");
        System.out.printf("Collab reconstruct parity (P=%d, %d rows): max |diff| = %.3g%n", layout.size(), n,
                maxAbsDiff(expected, actual));
    }

    private void assertStepParity(ParamLayout layout, int n, float lr, int steps, long seed) {
        CollabReference reference = new CollabReference(layout);
        OrtCollabRuntime runtime = open(layout);
        float[] expected = CollabFixtures.theta(layout, seed);
        float[] actual = expected.clone();
        float[] z = CollabFixtures.z(layout, seed + 100);
        CollabBatch batch = CollabFixtures.batch(layout, n, seed + 200);
        for (int s = 1; s <= steps; s++) {
            double expectedLoss = reference.trainStep(expected, z, batch, lr, expected);
            double actualLoss = runtime.trainStep(actual, z, batch, lr, actual);
            assertEquals(expectedLoss, actualLoss, TOLERANCE, "loss before step " + s);
            assertClose(expected, actual, "theta after step " + s);
        }
        System.out.printf("Collab train-step parity (P=%d, %d rows) after %d step(s): max |diff| = %.3g%n",
                layout.size(), n, steps, maxAbsDiff(expected, actual));
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], TOLERANCE, what + "[" + i + "]");
        }
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    private static void assertMessage(String fragment, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' should name " + fragment);
    }
}
