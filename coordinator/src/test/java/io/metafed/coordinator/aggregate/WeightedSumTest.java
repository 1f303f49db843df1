package io.metafed.coordinator.aggregate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.model.nn.ParamVector;
import org.junit.jupiter.api.Test;

class WeightedSumTest {

    @Test
    void mean_twoWeightedVectors_isWeightedAverage() {
        WeightedSum sum = new WeightedSum(2);
        sum.add(v(2, 0), 1);
        sum.add(v(-2, 4), 3);
        // Σ wx = 1·[2, 0] + 3·[-2, 4] = [-4, 12]; Σ w = 4; mean = [-1, 3]
        assertArrayEquals(new double[] {-1, 3}, sum.mean(), 0);
        assertEquals(4, sum.totalWeight());
        assertEquals(2, sum.count());
    }

    @Test
    void addShifted_baseAndDelta_sumsReconstructedModels() {
        WeightedSum sum = new WeightedSum(2);
        ParamVector base = v(1, 2);
        sum.addShifted(base, v(1, 0), 1);
        sum.addShifted(base, v(0, 3), 3);
        // φ1 = [2, 2], φ2 = [1, 5]; (1·[2, 2] + 3·[1, 5]) / 4 = [5, 17] / 4 = [1.25, 4.25]
        assertArrayEquals(new double[] {1.25, 4.25}, sum.mean(), 0);
    }

    @Test
    void addShifted_isTheOneLoopFormula_toTheBit_whenTheBaseChangesBetweenCalls() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(8);
        int n = 500;
        ParamVector[] bases = new ParamVector[2];
        for (int b = 0; b < 2; b++) {
            float[] values = new float[n];
            for (int j = 0; j < n; j++) {
                values[j] = (float) ((r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(9) - 4));
            }
            bases[b] = ParamVector.adopt(values);
        }
        WeightedSum sum = new WeightedSum(n);
        double[] expected = new double[n];
        for (int base : new int[] {0, 0, 1, 0, 1, 1, 0}) {
            float[] delta = new float[n];
            for (int j = 0; j < n; j++) {
                delta[j] = r.nextInt(3) == 0 ? 0f : (float) ((r.nextDouble() - 0.5) * 1e-3);
            }
            double weight = 1 + r.nextInt(200);
            sum.addShifted(bases[base], ParamVector.adopt(delta), weight);
            for (int j = 0; j < n; j++) {
                expected[j] += weight * ((double) bases[base].get(j) + delta[j]);
            }
        }
        double[] actual = sum.mean();
        for (int j = 0; j < n; j++) {
            assertEquals(Double.doubleToRawLongBits(expected[j] / sum.totalWeight()),
                    Double.doubleToRawLongBits(actual[j]), "entry " + j);
        }
    }

    @Test
    void mean_nothingAdded_throwsIllegalState() {
        assertThrows(IllegalStateException.class, () -> new WeightedSum(3).mean());
    }

    @Test
    void add_wrongLength_throwsNamingExpectedAndFound() {
        WeightedSum sum = new WeightedSum(3);
        var e = assertThrows(IllegalArgumentException.class, () -> sum.add(v(0, 0), 1));
        assertTrue(e.getMessage().contains("3") && e.getMessage().contains("2"), e.getMessage());
    }

    @Test
    void add_nonPositiveWeight_throwsAndLeavesSumUnchanged() {
        WeightedSum sum = new WeightedSum(1);
        assertThrows(IllegalArgumentException.class, () -> sum.add(v(1), 0));
        assertThrows(IllegalArgumentException.class, () -> sum.add(v(1), Double.NaN));
        assertEquals(0, sum.count());
        assertEquals(0, sum.totalWeight());
    }

    private static ParamVector v(float... values) {
        return ParamVector.adopt(values);
    }
}
