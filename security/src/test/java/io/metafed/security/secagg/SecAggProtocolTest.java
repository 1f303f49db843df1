package io.metafed.security.secagg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * End-to-end correctness: the unmasked sum equals the plain mod-2^32 sum of the surviving inputs.
 * All randomness is seeded, so these tests are deterministic (false-failure rate 0); the property
 * they check holds for every seed, since masks cancel exactly in Z_{2^32}.
 */
class SecAggProtocolTest {
    private static final int D = 1000;
    private static final SecAggStage[] DROP_STAGES = {
        SecAggStage.ADVERTISE_KEYS, SecAggStage.SHARE_KEYS, SecAggStage.MASKED_INPUT, SecAggStage.UNMASKING
    };

    static int[][] randomInputs(int n, int d, long seed) {
        Random r = new Random(seed); // full-range ints: sums wrap, exercising mod 2^32
        int[][] x = new int[n][d];
        for (int[] row : x) {
            for (int i = 0; i < d; i++) {
                row[i] = r.nextInt();
            }
        }
        return x;
    }

    /** round(fraction·n) random clients, spread round-robin over the four drop stages. */
    static DropoutPlan mixedDropouts(int n, double fraction, long seed) {
        List<Integer> ids = new ArrayList<>(IntStream.rangeClosed(1, n).boxed().toList());
        Collections.shuffle(ids, new Random(seed));
        Map<Integer, SecAggStage> plan = new HashMap<>();
        int drops = (int) Math.round(fraction * n);
        for (int k = 0; k < drops; k++) {
            plan.put(ids.get(k), DROP_STAGES[k % DROP_STAGES.length]);
        }
        return DropoutPlan.of(plan);
    }

    static int[] plainSum(int[][] x, SortedSet<Integer> ids) {
        int[] s = new int[x[0].length];
        for (int id : ids) {
            for (int i = 0; i < s.length; i++) {
                s[i] += x[id - 1][i];
            }
        }
        return s;
    }

    static SecAggSimulation seededSimulation(SecAggConfig config, long seed) {
        return new SecAggSimulation(config, id -> TestRandomness.seeded(seed * 1_000_003L + id));
    }

    @ParameterizedTest(name = "n={0} dropout={1}")
    @CsvSource({"20, 0.0, 1", "50, 0.0, 2", "20, 0.1, 3", "40, 0.1, 4", "30, 0.3, 5", "50, 0.3, 6"})
    void run_dropoutsAtEveryStage_sumEqualsPlainSumOfRound2Survivors(int n, double fraction, long seed) {
        SecAggConfig config = SecAggConfig.majority(n, D, seed);
        int[][] x = randomInputs(n, D, seed);
        DropoutPlan plan = mixedDropouts(n, fraction, seed);

        SecAggResult result = seededSimulation(config, seed).run(x, plan);

        SortedSet<Integer> expectedIncluded = new TreeSet<>();
        for (int id = 1; id <= n; id++) {
            if (plan.answers(id, SecAggStage.MASKED_INPUT)) {
                expectedIncluded.add(id); // sent y_u; dropping later (UNMASKING) does not remove x_u
            }
        }
        assertEquals(SecAggStage.DONE, result.outcome());
        assertEquals(expectedIncluded, result.includedClients());
        assertArrayEquals(plainSum(x, expectedIncluded), result.sum());
    }

    @ParameterizedTest
    @EnumSource(value = SecAggStage.class, names = {"ADVERTISE_KEYS", "SHARE_KEYS", "MASKED_INPUT", "UNMASKING"})
    void run_belowThresholdAtStage_failsWithoutReconstruction(SecAggStage stage) {
        int n = 20;
        SecAggConfig config = new SecAggConfig(n, 11, 50, 9);
        Map<Integer, SecAggStage> drops = new HashMap<>();
        for (int id = 1; id <= n - config.threshold() + 1; id++) {
            drops.put(id, stage); // leaves t − 1 answering from this stage on
        }

        SecAggResult result = seededSimulation(config, 9).run(randomInputs(n, 50, 9), DropoutPlan.of(drops));

        assertEquals(SecAggStage.FAILED, result.outcome());
        assertNull(result.sum());
        assertTrue(result.includedClients().isEmpty());
        assertEquals(0, result.reconstructions());
    }

    @ParameterizedTest
    @EnumSource(value = SecAggStage.class, names = {"ADVERTISE_KEYS", "SHARE_KEYS", "MASKED_INPUT", "UNMASKING"})
    void run_exactlyThresholdSurvivors_succeeds(SecAggStage stage) {
        int n = 12;
        SecAggConfig config = new SecAggConfig(n, 7, 64, 10);
        int[][] x = randomInputs(n, 64, 10);
        Map<Integer, SecAggStage> drops = new HashMap<>();
        for (int id = n; id > config.threshold(); id--) {
            drops.put(id, stage);
        }

        SecAggResult result = seededSimulation(config, 10).run(x, DropoutPlan.of(drops));

        assertEquals(SecAggStage.DONE, result.outcome());
        assertArrayEquals(plainSum(x, result.includedClients()), result.sum());
    }

    @org.junit.jupiter.api.Test
    void run_encodedFloatUpdatesWith30PercentDropout_decodesToWeightedMeanOfSurvivors() {
        int n = 30;
        int d = 100;
        FixedPointEncoder encoder = new FixedPointEncoder(1.0, 50.0, n);
        Random r = new Random(21);
        float[][] updates = new float[n][d];
        double[] weights = new double[n];
        int[][] encoded = new int[n][];
        for (int k = 0; k < n; k++) {
            for (int i = 0; i < d; i++) {
                updates[k][i] = (float) (r.nextGaussian() * 0.2);
            }
            weights[k] = 1 + r.nextInt(50);
            encoded[k] = encoder.encode(updates[k], weights[k]);
        }
        SecAggConfig config = SecAggConfig.majority(n, d + 1, 21);

        SecAggResult result = seededSimulation(config, 21).run(encoded, mixedDropouts(n, 0.3, 21));

        FixedPointEncoder.Aggregate agg = result.decode(encoder).orElseThrow();
        double[] exact = new double[d];
        double weightSum = 0;
        for (int id : result.includedClients()) {
            double[] clipped = encoder.clip(updates[id - 1]);
            for (int i = 0; i < d; i++) {
                exact[i] += weights[id - 1] * clipped[i];
            }
            weightSum += weights[id - 1];
        }
        int k = result.includedClients().size();
        assertEquals(weightSum, agg.weightSum(), encoder.maxAbsWeightError(k));
        double[] got = agg.weightedSum();
        for (int i = 0; i < d; i++) {
            assertEquals(exact[i], got[i], encoder.maxAbsError(k));
        }
    }
}
