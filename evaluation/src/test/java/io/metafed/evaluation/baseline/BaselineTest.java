package io.metafed.evaluation.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.evaluation.metrics.RegressionStats;
import io.metafed.model.data.Interaction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Baselines on hand-computable toy sets and a synthetic set with planted biases. */
class BaselineTest {
    private static final double EPS = 1e-12;
    /** Users 1, 2; items 10, 20. μ = (5 + 3 + 4) / 3 = 4. */
    private static final List<Interaction> TOY = List.of(
            new Interaction(1, 10, 5, 0), new Interaction(1, 20, 3, 1), new Interaction(2, 10, 4, 2));
    private static final BiasBaseline.Config ONE_PASS_UNREGULARIZED = new BiasBaseline.Config(0, 0, 1);

    @Test
    void globalMean_toySet_predictsMeanEverywhere() {
        GlobalMeanBaseline b = GlobalMeanBaseline.fit(TOY);
        assertEquals(4.0, b.mean(), EPS);
        assertEquals(4.0, b.predict(1, 10), EPS);
        assertEquals(4.0, b.predict(99, 99), EPS);
    }

    @Test
    void biasBaseline_unregularizedSinglePass_matchesHandComputation() {
        // items first (b_u = 0): b_10 = ((5−4) + (4−4)) / 2 = 0.5;  b_20 = (3−4) / 1 = −1
        // then users:           b_1 = ((5−4−0.5) + (3−4+1)) / 2 = 0.25;  b_2 = (4−4−0.5) / 1 = −0.5
        BiasBaseline b = BiasBaseline.fit(TOY, ONE_PASS_UNREGULARIZED);
        assertEquals(4.0, b.mu(), EPS);
        assertEquals(0.5, b.itemBias(10), EPS);
        assertEquals(-1.0, b.itemBias(20), EPS);
        assertEquals(0.25, b.userBias(1), EPS);
        assertEquals(-0.5, b.userBias(2), EPS);
        assertEquals(4.75, b.predict(1, 10), EPS);
        assertEquals(2.5, b.predict(2, 20), EPS);
    }

    @Test
    void biasBaseline_itemLambda2_shrinksItemBiases() {
        // b_10 = 1 / (2 + 2) = 0.25;  b_20 = −1 / (2 + 1) = −1/3
        // b_1 = ((5−4−0.25) + (3−4+1/3)) / 2 = (0.75 − 2/3) / 2 = 1/24;  b_2 = (4−4−0.25) / 1 = −0.25
        BiasBaseline b = BiasBaseline.fit(TOY, new BiasBaseline.Config(2, 0, 1));
        assertEquals(0.25, b.itemBias(10), EPS);
        assertEquals(-1.0 / 3, b.itemBias(20), EPS);
        assertEquals(1.0 / 24, b.userBias(1), EPS);
        assertEquals(-0.25, b.userBias(2), EPS);
    }

    @Test
    void biasBaseline_unknownUserOrItem_fallsBackToZeroBias() {
        BiasBaseline b = BiasBaseline.fit(TOY, ONE_PASS_UNREGULARIZED);
        assertEquals(0.0, b.userBias(99));
        assertEquals(4.5, b.predict(99, 10), EPS); // μ + b_10
        assertEquals(4.25, b.predict(1, 99), EPS); // μ + b_1
        assertEquals(4.0, b.predict(99, 99), EPS);
    }

    @Test
    void biasBaseline_extremeBiases_clampsToRatingScale() {
        // μ = 11/3; b_10 = 4/3, b_20 = −2/3; b_1 = (0 + 2) / 2 = 1 → μ + b_1 + b_10 = 6 → 5
        BiasBaseline high = BiasBaseline.fit(List.of(new Interaction(1, 10, 5, 0), new Interaction(1, 20, 5, 0),
                new Interaction(2, 20, 1, 0)), ONE_PASS_UNREGULARIZED);
        assertEquals(5.0, high.predict(1, 10), EPS);
        // The mirror image (r → 6 − r): μ + b_1 + b_10 = 0 → 1
        BiasBaseline low = BiasBaseline.fit(List.of(new Interaction(1, 10, 1, 0), new Interaction(1, 20, 1, 0),
                new Interaction(2, 20, 5, 0)), ONE_PASS_UNREGULARIZED);
        assertEquals(1.0, low.predict(1, 10), EPS);
    }

    @Test
    void biasBaseline_syntheticPlantedBiases_beatsGlobalMeanOnTrainingAndHeldOut() {
        Random random = new Random(17);
        double[] trueUser = random.doubles(80).map(x -> 1.2 * (x - 0.5)).toArray();
        double[] trueItem = random.doubles(50).map(x -> 1.6 * (x - 0.5)).toArray();
        List<Interaction> train = new ArrayList<>();
        List<Interaction> test = new ArrayList<>();
        for (int u = 0; u < trueUser.length; u++) {
            for (int n = 0; n < 20; n++) {
                int i = random.nextInt(trueItem.length);
                double r = Math.rint(3.5 + trueUser[u] + trueItem[i] + 0.5 * random.nextGaussian());
                (n < 15 ? train : test).add(new Interaction(u, i, (float) Math.max(1, Math.min(5, r)), n));
            }
        }
        GlobalMeanBaseline mean = GlobalMeanBaseline.fit(train);
        BiasBaseline bias = BiasBaseline.fit(train);
        double meanTrain = mae(mean, train);
        double biasTrain = mae(bias, train);
        assertTrue(biasTrain < 0.85 * meanTrain, "training MAE bias " + biasTrain + " vs mean " + meanTrain);
        assertTrue(mae(bias, test) < mae(mean, test), "held-out MAE bias " + mae(bias, test) + " vs mean "
                + mae(mean, test));
    }

    private static double mae(RatingPredictor p, List<Interaction> data) {
        RegressionStats s = new RegressionStats();
        data.forEach(in -> s.add(p.predict(in.user(), in.item()), in.rating()));
        return s.mae();
    }

    @Test
    void fit_invalidArguments_rejectNamingRule() {
        var e = assertThrows(IllegalArgumentException.class, () -> BiasBaseline.fit(List.of()));
        assertTrue(e.getMessage().contains("at least one interaction"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> GlobalMeanBaseline.fit(Arrays.asList(TOY.get(0), null)));
        assertEquals("training[1] must not be null", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new BiasBaseline.Config(-1, 0, 1));
        assertTrue(e.getMessage().startsWith("itemLambda must be in [0.0,"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BiasBaseline.Config(0, Double.NaN, 1));
        assertThrows(IllegalArgumentException.class, () -> new BiasBaseline.Config(0, 0, 0));
    }
}
