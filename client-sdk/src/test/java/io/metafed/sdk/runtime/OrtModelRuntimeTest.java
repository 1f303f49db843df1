package io.metafed.sdk.runtime;

import static io.metafed.sdk.SdkFixtures.LAYOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.model.nn.Batch;
import io.metafed.model.nn.ReferenceModel;
import io.metafed.sdk.SdkFixtures;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link OrtModelRuntime} against {@link ReferenceModel}, the ground truth, on the MeLU-sized layout. */
class OrtModelRuntimeTest {
    private static final double TOLERANCE = 1e-5;
    private final ReferenceModel reference = new ReferenceModel(LAYOUT);
    private OrtModelRuntime runtime;

    @BeforeEach
    void open() {
        SdkFixtures.assumeOnnxEnabled();
        runtime = new OrtModelRuntime(LAYOUT);
    }

    @AfterEach
    void close() {
        if (runtime != null) {
            runtime.close();
        }
    }

    @Test
    void predict_meluLayout_matchesReferenceModel() {
        float[] params = SdkFixtures.params(1);
        Batch batch = SdkFixtures.batch(100); // bigger than the initial buffers: exercises growth
        float[] expected = reference.predict(params, batch.features(), batch.size());
        float[] actual = runtime.predict(params, batch.features(), batch.size());
        assertEquals(batch.size(), actual.length, "number of predictions");
        for (int r = 0; r < actual.length; r++) {
            assertEquals(expected[r], actual[r], TOLERANCE, "prediction of row " + r);
        }
        assertTrue(runtime.featureRowCapacity() >= 100, "feature buffer grew to the batch");
    }

    @Test
    void predict_zeroRows_returnsEmpty() {
        assertEquals(0, runtime.predict(SdkFixtures.params(1), new float[0], 0).length);
    }

    @Test
    void sgdStep_fiveChainedStepsInPlace_matchReferenceModel() {
        Batch batch = weighted(SdkFixtures.batch(30));
        float[] expected = SdkFixtures.params(2);
        float[] actual = expected.clone();
        for (int s = 1; s <= 5; s++) {
            double expectedLoss = reference.sgdStep(expected, batch, 0.05f, expected);
            double actualLoss = runtime.sgdStep(actual, batch, 0.05f, actual);
            assertEquals(expectedLoss, actualLoss, TOLERANCE, "loss of step " + s);
            assertTrue(maxAbsDiff(expected, actual) <= TOLERANCE, "params after step " + s);
        }
        assertTrue(maxAbsDiff(SdkFixtures.params(2), actual) > 1e-3, "the steps should move the parameters");
    }

    @Test
    void sgdStep_batchSizesShrinkingAndGrowing_allMatchReferenceModel() {
        float[] params = SdkFixtures.params(3);
        for (int n : new int[] {8, 120, 5, 64}) {
            Batch batch = SdkFixtures.batch(n);
            float[] expected = new float[params.length];
            float[] actual = new float[params.length];
            double expectedLoss = reference.sgdStep(params, batch, 0.1f, expected);
            assertEquals(expectedLoss, runtime.sgdStep(params, batch, 0.1f, actual), TOLERANCE, "loss, n=" + n);
            assertTrue(maxAbsDiff(expected, actual) <= TOLERANCE, "params, n=" + n);
        }
    }

    @Test
    void predict_wrongLengths_areRejectedNamingExpectedAndFound() {
        float[] params = SdkFixtures.params(1);
        int width = LAYOUT.config().schema().width();
        IllegalArgumentException p = assertThrows(IllegalArgumentException.class,
                () -> runtime.predict(new float[3], new float[width], 1));
        assertEquals("params must have length " + LAYOUT.size() + ", found 3", p.getMessage());
        IllegalArgumentException f = assertThrows(IllegalArgumentException.class,
                () -> runtime.predict(params, new float[width], 2));
        assertEquals("features must have length " + 2 * width + ", found " + width, f.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new OrtModelRuntime(LAYOUT, 0));
    }

    @Test
    void sgdStep_concurrentUseFromSecondThread_isRefused() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        runtime.onRun(() -> {
            inside.countDown();
            await(release);
        });
        Batch batch = SdkFixtures.batch(10);
        float[] params = SdkFixtures.params(4);
        CompletableFuture<float[]> first = CompletableFuture.supplyAsync(() -> runtime.predict(params,
                batch.features(), batch.size()));
        assertTrue(inside.await(30, TimeUnit.SECONDS), "first call never started");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> runtime.sgdStep(params, batch, 0.1f, new float[params.length]));
        assertTrue(e.getMessage().contains("not thread-safe"), e.getMessage());
        assertThrows(IllegalStateException.class, runtime::close, "close while in use");
        release.countDown();
        assertEquals(batch.size(), first.get(30, TimeUnit.SECONDS).length, "the first call completes normally");
        runtime.onRun(() -> { });
        assertEquals(batch.size(), runtime.predict(params, batch.features(), batch.size()).length, "usable again");
    }

    @Test
    void close_thenUse_isRefusedAndSecondCloseIsNoop() {
        Batch batch = SdkFixtures.batch(4);
        float[] params = SdkFixtures.params(5);
        runtime.close();
        runtime.close();
        IllegalStateException p = assertThrows(IllegalStateException.class,
                () -> runtime.predict(params, batch.features(), batch.size()));
        assertTrue(p.getMessage().contains("is closed"), p.getMessage());
        assertThrows(IllegalStateException.class, () -> runtime.sgdStep(params, batch, 0.1f, params));
    }

    /** The batch with varied weights and every fifth row as weight-0 padding. */
    private static Batch weighted(Batch b) {
        float[] w = new float[b.size()];
        for (int r = 0; r < w.length; r++) {
            w[r] = r % 5 == 4 ? 0f : 0.5f + 0.1f * (r % 7);
        }
        return new Batch(b.features(), b.ratings(), w, b.size(), b.width());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static double maxAbsDiff(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((double) a[i] - b[i]));
        }
        return max;
    }
}
