package io.metafed.coordinator.aggregate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.security.dp.L2Clipper;
import io.metafed.security.dp.PrivacyBudget;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DifferentiallyPrivateTest {
    private static final float[] THETA = {1f, -2f, 0.5f};
    private static final float[] D1 = {2f, 0f, -1f};
    private static final float[] D2 = {-1f, 4f, 1f};

    private static PrivacyBudget budget(double z) {
        return PrivacyBudget.builder().noiseMultiplier(z).delta(1e-5).build();
    }

    private static DifferentiallyPrivate dp(AggregationRule inner, double clip, int n, double z) {
        return new DifferentiallyPrivate(inner, new L2Clipper(clip), n, budget(z), () -> {
            throw new AssertionError("no noise draw expected");
        });
    }

    private static float[] run(AggregationRule rule, float[]... deltas) {
        WeightedSum sum = new WeightedSum(THETA.length);
        for (float[] d : deltas) {
            rule.accumulate(sum, THETA, d, 1);
        }
        return rule.aggregate(THETA, sum, 0, rule.initialState(THETA.length)).params();
    }

    /** Without noise and clipping, with full participation and equal weights, DP changes nothing (up to float). */
    @Test
    void noNoiseNoClip_fullParticipation_equalsTheInnerRule() {
        for (AggregationRule inner : new AggregationRule[] {Reptile.constant(0.5), new FedAvg(),
            new Reptile(new EpsilonSchedule.Constant(0.1), Adam.defaults())}) {
            assertArrayEquals(run(inner, D1, D2), run(dp(inner, Double.POSITIVE_INFINITY, 2, 0), D1, D2), 1e-6f,
                    inner.toString());
        }
    }

    @Test
    void updates_areClippedBeforeAveraging_overTheFixedDenominator() {
        // clip_1([2,0,-1]) = [2,0,-1]/√5; [−1,4,1] has norm √18: scaled by 1/√18. Denominator n = 4 (2 missing).
        float[] out = run(dp(Reptile.constant(1.0), 1.0, 4, 0), D1, D2);
        for (int j = 0; j < 3; j++) {
            double expected = THETA[j] + (D1[j] / Math.sqrt(5) + D2[j] / Math.sqrt(18)) / 4;
            assertEquals(expected, out[j], 1e-6);
        }
    }

    @Test
    void clientWeights_areIgnored() {
        DifferentiallyPrivate rule = dp(Reptile.constant(1.0), 1.0, 2, 0);
        WeightedSum heavy = new WeightedSum(3);
        rule.accumulate(heavy, THETA, D1, 100);
        rule.accumulate(heavy, THETA, D2, 1);
        assertArrayEquals(run(rule, D1, D2), rule.aggregate(THETA, heavy, 0, rule.initialState(3)).params());
    }

    @Test
    void moreThanExpectedClients_isRefused() {
        DifferentiallyPrivate rule = dp(new FedAvg(), 1.0, 1, 0);
        WeightedSum sum = new WeightedSum(3);
        rule.accumulate(sum, THETA, D1, 1);
        assertThrows(IllegalStateException.class, () -> rule.accumulate(sum, THETA, D2, 1));
    }

    /**
     * With zero updates' worth of signal (all Δ = 0) the released mean is pure noise of σ = z·C/n. On 100 000
     * coordinates the sample variance / σ² is within 4.8916·√(2/(N−1)) of 1 except with probability 1e-6
     * (χ² with N−1 degrees of freedom, normal approximation); SecureRandom, the production source, is used.
     */
    @Test
    void noise_hasStandardDeviationZTimesClipOverN() {
        int size = 100_000;
        DifferentiallyPrivate rule = DifferentiallyPrivate.of(new FedAvg(), 0.5, 4, budget(1.2));
        assertEquals(1.2 * 0.5 / 4, rule.noiseStddev(), 1e-15);
        float[] theta = new float[size];
        WeightedSum sum = new WeightedSum(size);
        rule.accumulate(sum, theta, new float[size], 1);
        float[] out = rule.aggregate(theta, sum, 0, rule.initialState(size)).params();
        double ss = 0;
        for (float v : out) {
            ss += (double) v * v;
        }
        double ratio = ss / size / (rule.noiseStddev() * rule.noiseStddev());
        assertEquals(1, ratio, 4.8916 * Math.sqrt(2.0 / (size - 1)));
    }

    @Test
    void seededNoise_isAddedToTheMeanUpdate() {
        Random a = new Random(3);
        Random b = new Random(3);
        DifferentiallyPrivate rule = new DifferentiallyPrivate(Reptile.constant(1.0),
                new L2Clipper(10.0), 2, budget(1.0), a::nextGaussian);
        float[] out = run(rule, D1, D2);
        double sigma = rule.noiseStddev();
        for (int j = 0; j < 3; j++) {
            assertEquals(THETA[j] + (D1[j] + D2[j]) / 2.0 + sigma * b.nextGaussian(), out[j], 1e-5);
        }
    }

    @Test
    void invalidConfigurations_areRejected() {
        assertThrows(IllegalArgumentException.class, () -> dp(new FedAvg(), Double.POSITIVE_INFINITY, 2, 1.0));
        assertThrows(IllegalArgumentException.class, () -> dp(dp(new FedAvg(), 1, 2, 0), 1, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> dp(new FedAvg(), 1, 0, 1));
    }

    @Test
    void describe_namesTheInnerRuleAndThePrivacyParameters() {
        var d = dp(Reptile.constant(0.5), 0.7, 8, 1.1).describe();
        assertEquals("reptile", d.get("rule"));
        assertEquals("0.7", d.get("dp.clipNorm"));
        assertEquals("1.1", d.get("dp.noiseMultiplier"));
        assertTrue(d.containsKey("dp.delta"));
    }
}
