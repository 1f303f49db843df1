package io.metafed.security.secagg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Deterministic (seeded) tests: false-failure rate 0; the bounds asserted hold for every input. */
class FixedPointEncoderTest {
    private final FixedPointEncoder encoder = new FixedPointEncoder(1.0, 100.0, 500);

    @Test
    void clip_normAboveBound_scaledToExactlyBound() {
        double[] c = encoder.clip(new float[] {3f, 4f}); // norm 5
        assertEquals(0.6, c[0], 1e-12);
        assertEquals(0.8, c[1], 1e-12);
    }

    @Test
    void clip_normBelowBoundOrZero_unchanged() {
        double[] c = encoder.clip(new float[] {0.3f, -0.4f});
        assertEquals(0.3f, c[0], 0);
        assertEquals(-0.4f, c[1], 0);
        assertEquals(0.0, encoder.clip(new float[] {0f, 0f})[0], 0);
    }

    @Test
    void encode_readOnlyView_sameWordsAsTheArrayAndThePositionStays() {
        float[] delta = {3f, -4f, 0.25f};
        FloatBuffer view = FloatBuffer.wrap(delta).asReadOnlyBuffer();
        assertArrayEquals(encoder.encode(delta, 7), encoder.encode(view, 7));
        assertEquals(0, view.position());
        // Only the remaining floats are the update: a view past the first element encodes the other two.
        view.position(1);
        assertArrayEquals(encoder.encode(new float[] {-4f, 0.25f}, 7), encoder.encode(view, 7));
        assertEquals(1, view.position());
        FloatBuffer bad = FloatBuffer.wrap(new float[] {1f, Float.NaN}).asReadOnlyBuffer();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> encoder.encode(bad, 1));
        assertEquals("update[1]: must be finite, got NaN", e.getMessage());
    }

    @Test
    void decode_sumOf500RandomClients_withinStatedQuantizationBound() {
        Random r = new Random(11);
        int n = 500;
        int d = 200;
        int[] sum = new int[d + 1];
        double[] exact = new double[d];
        double exactWeight = 0;
        for (int k = 0; k < n; k++) {
            float[] delta = new float[d];
            for (int i = 0; i < d; i++) {
                delta[i] = (float) (r.nextGaussian() * (k % 2 == 0 ? 0.01 : 1.0)); // some clipped, some not
            }
            double w = 1 + r.nextInt(100);
            double[] clipped = encoder.clip(delta);
            int[] q = encoder.encode(delta, w);
            for (int i = 0; i < d; i++) {
                exact[i] += w * clipped[i];
                sum[i] += q[i];
            }
            sum[d] += q[d];
            exactWeight += w;
        }
        FixedPointEncoder.Aggregate agg = encoder.decode(sum);
        double bound = encoder.maxAbsError(n);
        double[] got = agg.weightedSum();
        for (int i = 0; i < d; i++) {
            assertTrue(Math.abs(got[i] - exact[i]) <= bound, "coordinate " + i + ": error " + Math.abs(got[i] - exact[i]) + " > " + bound);
        }
        assertTrue(Math.abs(agg.weightSum() - exactWeight) <= encoder.maxAbsWeightError(n));
    }

    @Test
    void encode_nClientsAtMaxNormAndWeight_sumDoesNotWrap() {
        int n = encoder.maxClients();
        for (float sign : new float[] {1f, -1f}) {
            int[] sum = new int[2];
            float[] delta = {sign * 7f}; // clipped to ±C, all mass in one coordinate: the worst case
            for (int k = 0; k < n; k++) {
                int[] q = encoder.encode(delta, encoder.maxWeight());
                sum[0] += q[0];
                sum[1] += q[1];
            }
            FixedPointEncoder.Aggregate agg = encoder.decode(sum);
            double expected = sign * n * encoder.maxWeight() * encoder.clipNorm();
            assertEquals(expected, agg.weightedSum()[0], encoder.maxAbsError(n));
            assertEquals(n * encoder.maxWeight(), agg.weightSum(), encoder.maxAbsWeightError(n));
            assertEquals(sign, agg.weightedMean()[0], 1e-6);
        }
    }

    @Test
    void maxAbsError_n500UnitWeightAndNorm_isAbout1e7PerClient() {
        FixedPointEncoder unit = new FixedPointEncoder(1.0, 1.0, 500);
        assertTrue(unit.maxAbsError(1) < 1.2e-7, "per-client error " + unit.maxAbsError(1));
    }

    @Test
    void encode_invalidWeightOrNonFiniteUpdate_rejectedNamingParameter() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> encoder.encode(new float[1], 101))
                .getMessage().startsWith("weight:"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> encoder.encode(new float[] {Float.NaN}, 1))
                .getMessage().startsWith("update[0]:"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new FixedPointEncoder(0, 1, 1))
                .getMessage().startsWith("clipNorm:"));
    }
}
