package io.metafed.coordinator.aggregate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReptileAndFedAvgTest {

    private static final float[] THETA = {1f, -2f, 0.5f};

    /** Δ1 = [2, 0, -1] with w = 1 and Δ2 = [-1, 4, 1] with w = 3. */
    private static WeightedSum twoUpdates(AggregationRule rule) {
        WeightedSum sum = new WeightedSum(3);
        rule.accumulate(sum, THETA, new float[] {2f, 0f, -1f}, 1);
        rule.accumulate(sum, THETA, new float[] {-1f, 4f, 1f}, 3);
        return sum;
    }

    @Test
    void reptile_constantEpsilon_movesThetaByEpsilonTimesWeightedMean() {
        Reptile rule = Reptile.constant(0.5);
        Aggregate a = rule.aggregate(THETA, twoUpdates(rule), 0, rule.initialState(3));
        // Σ wΔ = 1·[2, 0, -1] + 3·[-1, 4, 1] = [-1, 12, 2]; Σ w = 4; Δ̄ = [-0.25, 3, 0.5]
        // θ + 0.5·Δ̄ = [1 − 0.125, −2 + 1.5, 0.5 + 0.25] = [0.875, −0.5, 0.75]
        assertArrayEquals(new float[] {0.875f, -0.5f, 0.75f}, a.params(), 1e-7f);
        assertEquals(0.5, a.epsilon());
    }

    @Test
    void reptile_equalWeights_usesPlainMean() {
        Reptile rule = Reptile.constant(1.0);
        WeightedSum sum = new WeightedSum(3);
        rule.accumulate(sum, THETA, new float[] {2f, 0f, -1f}, 5);
        rule.accumulate(sum, THETA, new float[] {-1f, 4f, 1f}, 5);
        // Δ̄ = ([2, 0, -1] + [-1, 4, 1]) / 2 = [0.5, 2, 0]; θ + Δ̄ = [1.5, 0, 0.5]
        assertArrayEquals(new float[] {1.5f, 0f, 0.5f}, rule.aggregate(THETA, sum, 0, rule.initialState(3)).params());
    }

    @Test
    void reptile_linearDecay_usesEpsilonOfTheRound() {
        Reptile rule = new Reptile(new EpsilonSchedule.LinearDecay(1.0, 4, 0.1), new Sgd());
        Aggregate a = rule.aggregate(THETA, twoUpdates(rule), 2, rule.initialState(3));
        // ε_2 = 1·(1 − 2/4) = 0.5, so the same result as the constant-0.5 case
        assertArrayEquals(new float[] {0.875f, -0.5f, 0.75f}, a.params(), 1e-7f);
        assertEquals(0.5, a.epsilon(), 1e-12);
    }

    @Test
    void reptile_aggregate_doesNotModifyTheta() {
        float[] theta = THETA.clone();
        Reptile rule = Reptile.constant(0.5);
        rule.aggregate(theta, twoUpdates(rule), 0, rule.initialState(3));
        assertArrayEquals(THETA, theta);
    }

    @Test
    void fedAvg_twoModels_isWeightedMeanOfModels() {
        float[] theta = {1f, 2f};
        FedAvg rule = new FedAvg();
        WeightedSum sum = new WeightedSum(2);
        rule.accumulate(sum, theta, new float[] {1f, 0f}, 1); // φ1 = [2, 2]
        rule.accumulate(sum, theta, new float[] {0f, 3f}, 3); // φ2 = [1, 5]
        // (1·[2, 2] + 3·[1, 5]) / (1 + 3) = [5, 17] / 4 = [1.25, 4.25]
        Aggregate a = rule.aggregate(theta, sum, 0, rule.initialState(2));
        assertArrayEquals(new float[] {1.25f, 4.25f}, a.params());
        assertEquals(1.0, a.epsilon());
    }

    @Test
    void fedAvg_sameUpdates_equalsReptileWithEpsilonOne() {
        FedAvg fedAvg = new FedAvg();
        Reptile reptile = Reptile.constant(1.0);
        float[] viaFedAvg = fedAvg.aggregate(THETA, twoUpdates(fedAvg), 0, fedAvg.initialState(3)).params();
        float[] viaReptile = reptile.aggregate(THETA, twoUpdates(reptile), 0, reptile.initialState(3)).params();
        // θ + Δ̄ = [1 − 0.25, −2 + 3, 0.5 + 0.5] = [0.75, 1, 1]
        assertArrayEquals(new float[] {0.75f, 1f, 1f}, viaFedAvg, 1e-6f);
        assertArrayEquals(viaReptile, viaFedAvg, 1e-6f);
    }

    @Test
    void aggregate_floatOverflow_rejectedAsNonFinite() {
        Reptile rule = Reptile.constant(1.0);
        WeightedSum sum = new WeightedSum(1);
        rule.accumulate(sum, new float[] {3e38f}, new float[] {3e38f}, 1);
        // 3e38 + 3e38 = 6e38 > Float.MAX_VALUE ≈ 3.4e38 → +Infinity after the float cast
        var e = assertThrows(IllegalArgumentException.class,
                () -> rule.aggregate(new float[] {3e38f}, sum, 0, rule.initialState(1)));
        assertTrue(e.getMessage().contains("finite"), e.getMessage());
    }

    @Test
    void aggregate_emptySum_throwsIllegalState() {
        Reptile rule = Reptile.constant(1.0);
        assertThrows(IllegalStateException.class,
                () -> rule.aggregate(THETA, new WeightedSum(3), 0, rule.initialState(3)));
    }

    @Test
    void describe_reptileWithAdam_listsScheduleAndOptimizer() {
        var map = new Reptile(new EpsilonSchedule.Constant(0.2), Adam.defaults()).describe();
        assertEquals("reptile", map.get("rule"));
        assertEquals("adam", map.get("optimizer"));
        assertEquals("0.2", map.get("epsilon.value"));
    }
}
