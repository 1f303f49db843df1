package io.metafed.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MinibatchSamplerTest {
    @Test
    void next_batchSizeAtLeastSize_returnsAllInStoreOrder() {
        MinibatchSampler sampler = new MinibatchSampler(5, 5, 1);
        assertTrue(sampler.fullBatch());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, sampler.next());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, sampler.next());
    }

    @Test
    void next_smallBatches_coverEachEpochExactlyOnce() {
        MinibatchSampler sampler = new MinibatchSampler(10, 4, 7);
        for (int epoch = 0; epoch < 3; epoch++) {
            int[] a = sampler.next();
            int[] b = sampler.next();
            int[] c = sampler.next();
            assertEquals(4, a.length);
            assertEquals(4, b.length);
            assertEquals(2, c.length, "the last slice of an epoch holds the rest");
            int[] all = new int[10];
            System.arraycopy(a, 0, all, 0, 4);
            System.arraycopy(b, 0, all, 4, 4);
            System.arraycopy(c, 0, all, 8, 2);
            Arrays.sort(all);
            assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, all, "epoch " + epoch);
        }
    }

    @Test
    void next_sameSeed_replaysSequenceAndOtherSeedDiffers() {
        MinibatchSampler a = new MinibatchSampler(30, 8, 11);
        MinibatchSampler b = new MinibatchSampler(30, 8, 11);
        MinibatchSampler c = new MinibatchSampler(30, 8, 12);
        boolean differs = false;
        for (int s = 0; s < 6; s++) {
            int[] x = a.next();
            assertArrayEquals(x, b.next(), "step " + s);
            differs |= !Arrays.equals(x, c.next());
        }
        assertTrue(differs, "another seed gives another sequence");
        assertFalse(a.fullBatch());
    }
}
