package io.metafed.coordinator.aggregate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Server optimizers driven through {@link Reptile} with one client of weight 1, so Δ̄ = Δ and g = −Δ. Round 1
 * sends Δ = [0.5, −1] (g = [−0.5, 1]); round 2 sends Δ = [1, 0] (g = [−1, 0]); ε = 0.1 throughout.
 */
class ServerOptimizerTest {

    private static Aggregate round(Reptile rule, float[] theta, float[] delta, OptimizerState state) {
        WeightedSum sum = new WeightedSum(theta.length);
        rule.accumulate(sum, theta, delta, 1);
        return rule.aggregate(theta, sum, 0, state);
    }

    @Test
    void momentum_twoRounds_matchesHandComputation() {
        Reptile rule = new Reptile(new EpsilonSchedule.Constant(0.1), new Momentum(0.9));
        Aggregate first = round(rule, new float[] {1, 2}, new float[] {0.5f, -1}, rule.initialState(2));
        // v1 = 0.9·0 + g1 = [−0.5, 1]; θ1 = θ − 0.1·v1 = [1.05, 1.9]
        assertArrayEquals(new float[] {1.05f, 1.9f}, first.params(), 1e-6f);
        Aggregate second = round(rule, first.params(), new float[] {1, 0}, first.state());
        // v2 = 0.9·[−0.5, 1] + [−1, 0] = [−1.45, 0.9]; θ2 = [1.05 + 0.145, 1.9 − 0.09] = [1.195, 1.81]
        assertArrayEquals(new float[] {1.195f, 1.81f}, second.params(), 1e-6f);
        Momentum.State v = (Momentum.State) second.state();
        assertEquals(-1.45, v.velocity(0), 1e-12);
        assertEquals(0.9, v.velocity(1), 1e-12);
    }

    @Test
    void adam_twoRounds_matchesHandComputation() {
        Reptile rule = new Reptile(new EpsilonSchedule.Constant(0.1), new Adam(0.9, 0.999, 1e-8));
        Aggregate first = round(rule, new float[] {1, 2}, new float[] {0.5f, -1}, rule.initialState(2));
        // t = 1: m = 0.1·g = [−0.05, 0.1]; v = 0.001·g² = [0.00025, 0.001]
        // m̂ = m / 0.1 = [−0.5, 1]; v̂ = v / 0.001 = [0.25, 1]; √v̂ = [0.5, 1]
        // step = 0.1·m̂ / (√v̂ + 1e-8) ≈ [−0.1, 0.1]; θ1 = [1.1, 1.9]
        assertArrayEquals(new float[] {1.1f, 1.9f}, first.params(), 1e-6f);
        Aggregate second = round(rule, first.params(), new float[] {1, 0}, first.state());
        // t = 2: m = 0.9·[−0.05, 0.1] + 0.1·[−1, 0] = [−0.145, 0.09]
        //        v = 0.999·[0.00025, 0.001] + 0.001·[1, 0] = [0.00124975, 0.000999]
        //        m̂ = m / (1 − 0.81) = [−0.7631579, 0.4736842]; v̂ = v / (1 − 0.998001) = [0.6251876, 0.4997499]
        //        √v̂ = [0.7906881, 0.7069299]; step = 0.1·m̂/√v̂ = [−0.0965182, 0.0670058]
        //        θ2 = [1.1 + 0.0965182, 1.9 − 0.0670058] = [1.1965182, 1.8329942]
        assertArrayEquals(new float[] {1.1965182f, 1.8329942f}, second.params(), 1e-6f);
        assertEquals(2, ((Adam.State) second.state()).steps());
    }

    @Test
    void sgd_oneRound_equalsPlainReptile() {
        Reptile rule = new Reptile(new EpsilonSchedule.Constant(0.1), new Sgd());
        Aggregate a = round(rule, new float[] {1, 2}, new float[] {0.5f, -1}, rule.initialState(2));
        // θ + 0.1·Δ = [1.05, 1.9]
        assertArrayEquals(new float[] {1.05f, 1.9f}, a.params(), 1e-6f);
    }

    @Test
    void step_stateOfAnotherOptimizer_rejected() {
        Momentum momentum = new Momentum(0.5);
        OptimizerState adamState = Adam.defaults().initialState(2);
        var e = assertThrows(IllegalArgumentException.class, () -> momentum.step(new double[2], 0.1, adamState));
        assertTrue(e.getMessage().contains("Momentum$State"), e.getMessage());
    }

    @Test
    void step_stateOfWrongSize_rejected() {
        Adam adam = Adam.defaults();
        assertThrows(IllegalArgumentException.class, () -> adam.step(new double[3], 0.1, adam.initialState(2)));
    }

    @Test
    void step_inputs_notMutated() {
        Momentum momentum = new Momentum(0.9);
        OptimizerState s0 = momentum.initialState(1);
        double[] g = {2};
        momentum.step(g, 0.1, s0);
        assertEquals(2, g[0]);
        assertEquals(0, ((Momentum.State) s0).velocity(0));
    }

    @Test
    void constructors_decayRateOutOfRange_rejectedNamingParameter() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Momentum(1.0));
        assertTrue(e.getMessage().contains("beta") && e.getMessage().contains("[0, 1)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Adam(0.9, -0.1, 1e-8));
        assertThrows(IllegalArgumentException.class, () -> new Adam(0.9, 0.999, 0));
    }
}
