package io.metafed.model.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.nio.ReadOnlyBufferException;
import org.junit.jupiter.api.Test;

class ParamVectorTest {

    @Test
    void copyOfIsNotChangedByWritesToItsSource() {
        float[] source = {1f, 2f, 3f};
        ParamVector v = ParamVector.copyOf(source);
        source[0] = 99f;
        assertEquals(1f, v.get(0));
        assertArrayEquals(new float[] {1f, 2f, 3f}, v.toArray());
    }

    @Test
    void adoptSharesTheArrayItWasHanded() {
        float[] source = {1f, 2f, 3f};
        ParamVector v = ParamVector.adopt(source);
        // The documented contract forbids this write; it shows that adopt made no copy.
        source[1] = 7f;
        assertEquals(7f, v.get(1));
    }

    @Test
    void toArrayAndCopyToHandOutCopiesTheCallerOwns() {
        ParamVector v = ParamVector.copyOf(new float[] {1f, 2f, 3f});
        float[] a = v.toArray();
        assertNotSame(a, v.toArray());
        a[0] = -1f;
        assertEquals(1f, v.get(0));

        float[] dst = new float[5];
        v.copyTo(dst, 2);
        assertArrayEquals(new float[] {0f, 0f, 1f, 2f, 3f}, dst);
        dst[2] = 42f;
        assertEquals(1f, v.get(0));
        assertArrayEquals(new float[] {2f, 3f}, v.toArray(1, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> v.toArray(2, 4));
        assertThrows(IndexOutOfBoundsException.class, () -> v.copyTo(new float[2], 0));
    }

    @Test
    void theBufferViewIsReadOnlyAndIndependentlyPositioned() {
        ParamVector v = ParamVector.copyOf(new float[] {1f, 2f, 3f});
        FloatBuffer view = v.buffer();
        assertTrue(view.isReadOnly());
        assertEquals(3, view.remaining());
        assertThrows(ReadOnlyBufferException.class, () -> view.put(0, 5f));
        assertThrows(ReadOnlyBufferException.class, () -> view.put(9f));
        assertThrows(UnsupportedOperationException.class, view::array);
        assertEquals(1f, view.get());
        assertEquals(0, v.buffer().position(), "a new view starts at 0 whatever another view read");
        assertEquals(1f, v.get(0));
    }

    @Test
    void checksNameTheVectorAndTheOffendingIndex() {
        ParamVector v = ParamVector.copyOf(new float[] {1f, Float.NaN});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> v.requireFinite("delta"));
        assertEquals("delta[1] must be finite, found NaN", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> v.requireSize(3, "theta"));
        assertEquals("theta must have length 3, found 2", e.getMessage());
        assertThrows(NullPointerException.class, () -> ParamVector.adopt(null));
    }

    @Test
    void equalityIsByContentAndNormIsInDouble() {
        ParamVector a = ParamVector.copyOf(new float[] {3f, 4f});
        assertEquals(a, ParamVector.adopt(new float[] {3f, 4f}));
        assertEquals(a.hashCode(), ParamVector.adopt(new float[] {3f, 4f}).hashCode());
        assertNotEquals(a, ParamVector.adopt(new float[] {3f, 4.5f}));
        assertEquals(5.0, a.norm(), 0.0);
        float big = 1e30f;
        // Squares of floats this large overflow float but not double.
        assertEquals(Math.sqrt(2) * big, ParamVector.copyOf(new float[] {big, big}).norm(), 1e-15 * big);
        assertEquals("ParamVector[2 floats]", a.toString());
    }
}
