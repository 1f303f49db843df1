package io.metafed.model.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SupportTest {

    @Test
    void builder_sortsAndMergesOverlappingAndTouchingRanges() {
        Support s = Support.builder(20).add(10, 12).add(0, 3).add(2, 5).add(12, 14).add(7, 7).add(17, 20).build();
        assertEquals(3, s.ranges());
        assertEquals(0, s.start(0));
        assertEquals(5, s.end(0));
        assertEquals(10, s.start(1));
        assertEquals(14, s.end(1));
        assertEquals(17, s.start(2));
        assertEquals(20, s.end(2));
        assertEquals(5 + 4 + 3, s.count());
        assertFalse(s.isAll());
        assertEquals(Support.builder(20).add(17, 20).add(0, 5).add(10, 14).build(), s);
    }

    @Test
    void contains_agreesWithTheRangesAdded_onRandomSupports() {
        SplittableRandom random = new SplittableRandom(4);
        for (int trial = 0; trial < 200; trial++) {
            int size = 1 + random.nextInt(300);
            boolean[] in = new boolean[size];
            Support.Builder b = Support.builder(size);
            for (int k = random.nextInt(12); k > 0; k--) {
                int start = random.nextInt(size);
                int end = start + random.nextInt(size - start + 1);
                b.add(start, end);
                for (int i = start; i < end; i++) {
                    in[i] = true;
                }
            }
            Support s = b.build();
            int count = 0;
            for (int i = 0; i < size; i++) {
                assertEquals(in[i], s.contains(i), "index " + i + " of " + s);
                count += in[i] ? 1 : 0;
            }
            assertEquals(count, s.count());
            for (int r = 1; r < s.ranges(); r++) {
                assertTrue(s.end(r - 1) < s.start(r), "ranges are disjoint and not touching: " + s);
            }
        }
    }

    @Test
    void all_isEveryIndex_andRangesOutsideTheVectorAreRefused() {
        assertTrue(Support.all(7).isAll());
        assertEquals(7, Support.all(7).count());
        assertTrue(Support.builder(5).add(0, 2).add(2, 5).build().isAll());
        assertEquals(0, Support.all(0).ranges());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Support.builder(5).add(3, 6));
        assertEquals("range [3, 6) must lie within [0, 5]", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Support.builder(5).add(-1, 2));
        assertThrows(IllegalArgumentException.class, () -> Support.builder(5).add(3, 2));
        assertThrows(IllegalArgumentException.class, () -> Support.builder(-1));
    }

    @Test
    void collabSupport_isTheTowerAndTheBatchsItemRows() {
        ParamLayout layout = ParamLayout.of(new CollabConfig(new int[] {3, 7, 11, 20, 42}, 5, 4, 2.0, 3.0, 0.5));
        CollabBatch batch = new CollabBatch(new int[] {3, -1, 1, 3}, new float[20], new float[] {1, 2, 3, 4},
                new float[] {1, 1, 0, 1}, 4, 5);
        Support s = CollabSupport.of(layout, batch);
        TensorSlot bias = layout.slot(ParamLayout.ITEM_BIAS);
        TensorSlot emb = layout.slot(ParamLayout.ITEM_EMB);
        for (TensorSlot slot : layout.slots()) {
            for (int i = slot.offset(); i < slot.end(); i++) {
                boolean expected;
                if (slot.equals(bias)) {
                    expected = i - bias.offset() == 1 || i - bias.offset() == 3; // a weight-0 row is still counted
                } else if (slot.equals(emb)) {
                    int row = (i - emb.offset()) / 4;
                    expected = row == 1 || row == 3;
                } else {
                    expected = true;
                }
                assertEquals(expected, s.contains(i), slot + " index " + i);
            }
        }
        assertEquals(layout.size() - 3 * 5, s.count());
    }
}
