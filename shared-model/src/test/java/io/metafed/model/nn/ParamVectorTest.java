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
    @Test
    void adoptSparse_zeroesOutsideTheSupport_andTheSparsePassesEqualTheDenseOnesToTheBit() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(9);
        for (int trial = 0; trial < 300; trial++) {
            int size = 1 + random.nextInt(400);
            Support.Builder b = Support.builder(size);
            for (int k = random.nextInt(6); k > 0; k--) {
                int start = random.nextInt(size);
                b.add(start, Math.min(size, start + 1 + random.nextInt(20)));
            }
            Support support = b.build();
            float[] values = new float[size];
            for (int i = 0; i < size; i++) {
                // Garbage outside the support (it must be overwritten), and ±0 and tiny values inside it.
                int kind = random.nextInt(5);
                values[i] = kind == 0 ? -0f : kind == 1 ? 0f : kind == 2 ? Float.MIN_VALUE
                        : (float) (random.nextDouble() * 20 - 10);
            }
            float[] expected = values.clone();
            for (int i = 0; i < size; i++) {
                if (!support.contains(i)) {
                    expected[i] = 0f;
                }
            }
            ParamVector sparse = ParamVector.adoptSparse(values, support);
            ParamVector dense = ParamVector.copyOf(expected);
            assertEquals(dense, sparse, "the values outside the support are +0");
            assertEquals(support.isAll() ? Support.all(size) : support, sparse.support());
            assertEquals(Double.doubleToRawLongBits(dense.norm()), Double.doubleToRawLongBits(sparse.norm()));
            double weight = random.nextInt(3) == 0 ? 1e-300 : random.nextDouble() * 100;
            double[] a = new double[size];
            double[] c = new double[size];
            for (int i = 0; i < size; i++) {
                // Sums as a round holds them: +0 or what earlier updates left, including exact cancellations.
                a[i] = random.nextBoolean() ? 0.0 : random.nextDouble() - 0.5;
                c[i] = a[i];
            }
            dense.addScaledTo(a, weight);
            sparse.addScaledTo(c, weight);
            for (int i = 0; i < size; i++) {
                assertEquals(Double.doubleToRawLongBits(a[i]), Double.doubleToRawLongBits(c[i]), "sum[" + i + "]");
            }
        }
    }

    @Test
    void sparseChecks_findTheFirstNonFiniteEntry_andAnInfiniteWeightPoisonsTheSumAsDenseDoes() {
        Support support = Support.builder(10).add(2, 4).add(6, 9).build();
        float[] values = new float[10];
        values[7] = Float.NaN;
        values[8] = Float.POSITIVE_INFINITY;
        ParamVector v = ParamVector.adoptSparse(values, support);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> v.requireFinite("delta"));
        assertEquals("delta[7] must be finite, found NaN", e.getMessage());
        double[] sum = new double[10];
        ParamVector.adoptSparse(new float[10], support).addScaledTo(sum, Double.POSITIVE_INFINITY);
        assertTrue(Double.isNaN(sum[0]), "∞ · 0 outside the support is NaN, as the dense pass gives it");
        assertThrows(IllegalArgumentException.class, () -> ParamVector.adoptSparse(new float[9], support));
        assertThrows(IllegalArgumentException.class, () -> v.addScaledTo(new double[9], 1));
    }
}
