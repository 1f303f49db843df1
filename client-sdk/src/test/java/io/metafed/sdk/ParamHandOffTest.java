package io.metafed.sdk;

import static io.metafed.sdk.SdkFixtures.DATA;
import static io.metafed.sdk.SdkFixtures.LAYOUT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.metafed.model.nn.ParamVector;
import io.metafed.model.nn.ReferenceModel;
import java.lang.management.ManagementFactory;
import java.nio.ReadOnlyBufferException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * θ and Δ travel through the SDK as immutable vectors: a global model shares the vector it was given, an update
 * holds the Δ the client computed, and adapting copies θ only into φ (plus Δ itself).
 */
class ParamHandOffTest {
    private static final int USER = SdkFixtures.userWithRatings(20, 40);
    @TempDir
    Path dir;

    @Test
    void globalModel_ofAVector_sharesItAndTheArrayFormStillCopies() {
        ParamVector theta = ParamVector.copyOf(SdkFixtures.params(3));
        GlobalModel model = GlobalModel.of(2, LAYOUT, theta);
        assertSame(theta, model.vector());
        assertNotSame(model.params(), model.params());
        assertArrayEquals(theta.toArray(), model.params());
        assertThrows(ReadOnlyBufferException.class, () -> model.vector().buffer().put(0, 1f));
        // Equality stays by content, as it was with arrays.
        assertEquals(model, new GlobalModel(2, LAYOUT.id(), SdkFixtures.params(3)));
        float[] nan = SdkFixtures.params(3);
        nan[5] = Float.NaN;
        assertEquals("params[5] must be finite, found NaN", assertThrows(IllegalArgumentException.class,
                () -> GlobalModel.of(2, LAYOUT, ParamVector.adopt(nan))).getMessage());
    }

    @Test
    void localUpdate_adoptKeepsTheComputedDeltaWhileTheArrayConstructorCopies() {
        float[] delta = {0.5f, -0.25f};
        LocalUpdate adopted = LocalUpdate.adopt(1, delta, 3, 1, 0.5);
        float[] copied = delta.clone();
        LocalUpdate copy = new LocalUpdate(1, copied, 3, 1, 0.5);
        copied[0] = 9f;
        assertEquals(0.5f, copy.deltaVector().get(0), "the float[] constructor copied Δ");
        assertEquals(adopted, copy);
        assertEquals(0.5f, adopted.deltaVector().get(0));
        adopted.delta()[1] = 7f;
        assertEquals(-0.25f, adopted.deltaVector().get(1), "delta() is a copy");
        assertEquals("delta[0] must be finite, found Infinity", assertThrows(IllegalArgumentException.class,
                () -> LocalUpdate.adopt(1, new float[] {Float.POSITIVE_INFINITY}, 3, 1, 1)).getMessage());
    }

    /**
     * Counts the bytes one adaptation allocates on this thread: with 0 steps the learner's work is φ (one copy of
     * θ) and Δ, 8 bytes per parameter. Before the vectors, θ was also copied out of the global model and Δ into
     * the update: 16 bytes per parameter. The rest (ratings, features, activations) is about 0.6 copies' worth
     * here (measured: 2.6 copies now, 4.6 before), so 3.5 copies separates the two.
     */
    @Test
    void adapt_allocatesPhiAndDeltaButNoFurtherCopyOfThetaOrDelta() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean b && b.isThreadAllocatedMemorySupported(),
                "this JVM cannot count allocated bytes per thread");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        GlobalModel model = GlobalModel.of(1, LAYOUT, SdkFixtures.params(1));
        float[] before = model.params();
        try (MetafedClient client = MetafedClient.builder().storePath(dir.resolve("ratings.store"))
                .user(DATA.user(USER)).catalog(DATA.items()).layout(LAYOUT).runtime(new ReferenceModel(LAYOUT))
                .build()) {
            SdkFixtures.ratingsOf(USER).forEach(in -> client.recordRating(in.item(), in.rating()));
            AdaptationConfig zeroSteps = AdaptationConfig.fullBatch(0, 0.05f);
            client.adapt(model, zeroSteps); // class loading and first-call allocations
            long id = Thread.currentThread().getId();
            long least = Long.MAX_VALUE;
            LocalUpdate update = null;
            for (int run = 0; run < 5; run++) { // the least of a few runs: a GC or JIT hiccup only adds bytes
                long start = threads.getThreadAllocatedBytes(id);
                update = client.adapt(model, zeroSteps);
                least = Math.min(least, threads.getThreadAllocatedBytes(id) - start);
            }
            long perCopy = 4L * LAYOUT.size();
            assertTrue(least >= 2 * perCopy, "φ and Δ are allocated: " + least + " bytes, one copy is " + perCopy);
            assertTrue(least < 3.5 * perCopy, "adapt allocated " + least + " bytes, " + (double) least / perCopy
                    + " copies of θ (" + perCopy + " bytes each); expected φ and Δ only");
            assertArrayEquals(new float[LAYOUT.size()], update.delta());
        }
        assertArrayEquals(before, model.params(), "adapting did not change θ");
    }
}
