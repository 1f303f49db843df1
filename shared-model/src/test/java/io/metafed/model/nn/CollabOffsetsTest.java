package io.metafed.model.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CollabOffsetsTest {

    @Test
    void of_matchesTheLayoutsSlots() {
        // 5 items, 4 content columns, d = 2: mu [1], item.bias [5], item.emb [5×2], content.bias [4], content.emb
        // [4×2], prior [3].
        ParamLayout layout = ParamLayout.of(new CollabConfig(new int[] {3, 7, 11, 20, 42}, 4, 2, 2.0, 3.0, 0.5));
        CollabOffsets offsets = CollabOffsets.of(layout);
        assertEquals(new CollabOffsets(0, 1, 6, 16, 20, 28), offsets);
        assertEquals(layout.slot(ParamLayout.PRIOR).offset(), offsets.prior());
        assertEquals(layout.size(), offsets.prior() + 3);
    }

    @Test
    void of_rejectsANonCollaborativeLayout() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> CollabOffsets.of(ParamLayout.of(TinyModels.tinyConfig())));
        assertTrue(e.getMessage().contains("not collab"), e.getMessage());
    }

    @Test
    void rejectsANegativeOffset() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CollabOffsets(0, 1, 6, -1, 20, 28));
        assertTrue(e.getMessage().contains("contentBias -1"), e.getMessage());
    }
}
