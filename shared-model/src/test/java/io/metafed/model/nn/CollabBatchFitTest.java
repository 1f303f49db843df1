package io.metafed.model.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CollabBatchFitTest {
    private static final CollabConfig CONFIG = new CollabConfig(new int[] {3, 7, 11}, 2, 4, 2.0, 3.0, 0.5);

    private static CollabBatch batch(int width, int... rows) {
        float[] ones = new float[rows.length];
        java.util.Arrays.fill(ones, 1f);
        return new CollabBatch(rows, new float[rows.length * width], ones.clone(), ones, rows.length, width);
    }

    @Test
    void aBatchOfTheModelsWidthAndCatalogue_fits() {
        CollabBatch b = batch(2, 0, -1, 2);
        assertSame(b, b.requireFits(CONFIG, "batch"));
    }

    @Test
    void theWidthAndTheFirstRowOutsideTheCatalogue_areNamed() {
        IllegalArgumentException width = assertThrows(IllegalArgumentException.class,
                () -> batch(3, 0).requireFits(CONFIG, "members[1]"));
        assertEquals("members[1] content width must be 2, found 3", width.getMessage());
        IllegalArgumentException row = assertThrows(IllegalArgumentException.class,
                () -> batch(2, 1, 3, 5).requireFits(CONFIG, "batch"));
        assertEquals("batch rows[1] must be < 3, found 3", row.getMessage());
    }
}
