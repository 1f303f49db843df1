package io.metafed.simulation.federation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.metafed.sdk.LocalUpdate;
import java.util.List;
import org.junit.jupiter.api.Test;

class UpdateSumTest {
    private static LocalUpdate update(int examples, float... delta) {
        return new LocalUpdate(3, delta, examples, 1.0, 0.5);
    }

    @Test
    void add_weightsByExampleCount_andMergeIsOrderFree() {
        UpdateSum a = new UpdateSum(2);
        a.add(7, update(2, 1f, -1f));
        UpdateSum b = new UpdateSum(2);
        b.add(3, update(1, 0.5f, 4f));
        b.dropped(9);
        UpdateSum ab = new UpdateSum(2).merge(a).merge(b);
        UpdateSum ba = new UpdateSum(2).merge(b).merge(a);
        for (UpdateSum s : List.of(ab, ba)) {
            assertArrayEquals(new double[] {2.5, 2.0}, s.weightedDelta());
            assertEquals(3.0, s.totalWeight());
            assertEquals(2, s.count());
            assertEquals(List.of(3, 7), s.contributors());
            assertEquals(List.of(9), s.droppedUsers());
        }
    }

    @Test
    void add_wrongSize_refusedWithBothSizes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new UpdateSum(3).add(5, update(1, 1f)));
        assertEquals("update of user 5 must have 3 entries, found 1", e.getMessage());
    }
}
