package io.metafed.security.dp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class L2ClipperTest {

    @Test
    void longVector_isScaledOntoTheBall_keepingItsDirection() {
        L2Clipper.Clipped c = new L2Clipper(1.0).clip(new float[] {3, 4});
        assertTrue(c.clipped());
        assertEquals(5.0, c.inputNorm(), 0);
        assertEquals(0.6f, c.values()[0], 1e-6f);
        assertEquals(0.8f, c.values()[1], 1e-6f);
        assertTrue(L2Clipper.norm(c.values()) <= 1.0);
    }

    @Test
    void shortVector_andInfiniteBound_leaveValuesUnchanged() {
        float[] x = {0.3f, -0.4f};
        L2Clipper.Clipped inside = new L2Clipper(1.0).clip(x);
        assertFalse(inside.clipped());
        assertArrayEquals(x, inside.values());
        float[] big = {3e30f, -4e30f};
        L2Clipper.Clipped unbounded = new L2Clipper(Double.POSITIVE_INFINITY).clip(big);
        assertFalse(unbounded.clipped());
        assertArrayEquals(big, unbounded.values());
    }

    /** The bound must hold after float rounding, since the noise is calibrated to exactly C. */
    @Test
    void clippedNorm_neverExceedsTheBound_afterFloatRounding() {
        SplittableRandom random = new SplittableRandom(11);
        for (int trial = 0; trial < 500; trial++) {
            float[] x = new float[1 + random.nextInt(3000)];
            for (int j = 0; j < x.length; j++) {
                x[j] = (float) (random.nextGaussian() * 10);
            }
            double c = 0.01 + random.nextDouble() * 3;
            L2Clipper.Clipped clipped = new L2Clipper(c).clip(x);
            assertTrue(L2Clipper.norm(clipped.values()) <= c, "trial " + trial);
            assertEquals(c, L2Clipper.norm(clipped.values()), 1e-5 * c, "clipping lands on the sphere");
        }
    }

    @Test
    void clip_doesNotModifyItsInput() {
        float[] x = {3, 4};
        new L2Clipper(1).clip(x);
        assertArrayEquals(new float[] {3, 4}, x);
    }

    @Test
    void invalidInput_isRejected() {
        assertThrows(IllegalArgumentException.class, () -> new L2Clipper(0));
        assertThrows(IllegalArgumentException.class, () -> new L2Clipper(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new L2Clipper(1).clip(new float[] {Float.NaN}));
        assertThrows(IllegalArgumentException.class, () -> new L2Clipper(1).clip(new float[] {Float.POSITIVE_INFINITY}));
    }

    @Test
    void norm_ofDoubleVector_matchesFloatOverloadAndFlagsNonFinite() {
        assertEquals(5.0, L2Clipper.norm(new double[] {3, 4}), 0);
        assertEquals(L2Clipper.norm(new float[] {1.5f, -2f, 0.25f}), L2Clipper.norm(new double[] {1.5, -2, 0.25}), 0);
        assertFalse(Double.isFinite(L2Clipper.norm(new double[] {1, Double.NaN})));
    }
}
