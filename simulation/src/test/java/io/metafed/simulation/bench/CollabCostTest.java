package io.metafed.simulation.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.model.nn.CollabBatch;
import io.metafed.model.nn.CollabConfig;
import io.metafed.model.nn.ParamLayout;
import org.junit.jupiter.api.Test;

class CollabCostTest {
    private static final ParamLayout LAYOUT = ParamLayout.of(new CollabConfig(new int[] {1, 2, 3, 4}, 1, 1, 2, 2, 0.1));

    /** Rows with one content column, all ones (the constant column). */
    private static CollabBatch batch(int... rows) {
        float[] ones = new float[rows.length];
        java.util.Arrays.fill(ones, 1f);
        return new CollabBatch(rows, ones.clone(), ones.clone(), ones, rows.length, 1);
    }

    @Test
    void twoRatings_oneStep_matchesTheHandCount() {
        // d = 1 (k = d + 1 = 2), one non-zero content column per row, n = 2: halves of 1, one step on 1 row.
        // item vector 4, predict 9, Gram row 4 + 2 + 3·2 + 2·3 = 18 (lower triangle), solve 8/3 + 8; reconstruct (2 + 1)·18 + 2·solve;
        // gradient row 9 + 6 + 2 + (2 + 3) = 22, penalty 8, touched entries 1 + 1 + 1 + 2 = 5: step 30 + 10;
        // loss after 1·(9 + 3).
        CollabCost cost = CollabCost.of(LAYOUT, batch(0, 1), 1, 32, 4);
        double solve = 8 / 3.0 + 8;
        assertEquals(3 * 18 + 2 * solve + 40 + 12, cost.flops(), 1e-9);
        // Two distinct rows of 2 floats, 2 content floats, 3 words per rating, tower (1 x 2) read and written, one
        // trained row written.
        assertEquals(4 * (2 * 2 + 2 + 3 * 2 + 2 * 2 + 2), cost.gatherBytes(), 1e-9);
        // θ: μ 1, item biases 4, item rows 4 × d = 1, content bias 1, content row 1, prior 2 = 13. Support: μ, 2 item
        // biases, 2 item rows, content bias and row, prior: 9 entries, 4 words each; θ read and written once per
        // round of 4 clients.
        assertEquals(13, LAYOUT.size());
        assertEquals(4 * (4.0 * 9 + 2.0 * 13 / 4), cost.updateBytes(), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> CollabCost.of(LAYOUT, batch(0, 1), 1, 32, 0));
    }

    @Test
    void steps_addTheSameCostEach() {
        CollabBatch device = batch(0, 1, 2, 3, 0, 1, 2);
        double one = CollabCost.of(LAYOUT, device, 1, 2, 1).flops();
        double two = CollabCost.of(LAYOUT, device, 2, 2, 1).flops();
        double three = CollabCost.of(LAYOUT, device, 3, 2, 1).flops();
        assertTrue(two > one, one + " then " + two);
        assertEquals(two - one, three - two, 1e-9);
    }

    @Test
    void theUpdate_growsWithTheDevicesDistinctItems_notWithTheCatalogue() {
        double two = CollabCost.of(LAYOUT, batch(0, 1, 0), 0, 32, 1).updateBytes();
        double three = CollabCost.of(LAYOUT, batch(0, 1, 2), 0, 32, 1).updateBytes();
        assertEquals(4 * 4 * 2, three - two, 1e-9); // one more item row (bias + d = 1 embedding), 4 words per entry
    }

    @Test
    void repeatedItems_areGatheredOnce() {
        double distinct = CollabCost.of(LAYOUT, batch(0, 1, 2), 0, 32, 1).gatherBytes();
        double repeated = CollabCost.of(LAYOUT, batch(0, 0, 2), 0, 32, 1).gatherBytes();
        assertEquals(2 * 4, distinct - repeated, 1e-9); // one row of d + 1 = 2 floats fewer
    }

    @Test
    void average_dividesEveryPart() {
        CollabCost sum = new CollabCost(10, 20, 30).plus(new CollabCost(2, 4, 6));
        CollabCost mean = sum.over(2);
        assertEquals(6, mean.flops());
        assertEquals(12, mean.gatherBytes());
        assertEquals(12 + 18, mean.bytes());
        assertThrows(IllegalArgumentException.class, () -> sum.over(0));
        assertThrows(IllegalArgumentException.class, () -> new CollabCost(Double.NaN, 0, 0));
    }
}
