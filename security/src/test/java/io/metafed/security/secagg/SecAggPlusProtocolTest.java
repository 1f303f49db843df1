package io.metafed.security.secagg;

import static io.metafed.security.secagg.SecAggProtocolTest.mixedDropouts;
import static io.metafed.security.secagg.SecAggProtocolTest.plainSum;
import static io.metafed.security.secagg.SecAggProtocolTest.randomInputs;
import static io.metafed.security.secagg.SecAggProtocolTest.seededSimulation;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SecAgg+ rounds (sparse neighbour graph) through the same client/server/simulation pipeline as Bonawitz rounds.
 * Seeded, so deterministic; the sums are exact in Z_{2^32} for every seed.
 */
class SecAggPlusProtocolTest {
    private static final int D = 300;

    @ParameterizedTest(name = "n={0} k={1} t={2} dropout={3}")
    @CsvSource({"60, 20, 12, 0.0, 1", "60, 20, 12, 0.1, 2", "80, 30, 17, 0.2, 3", "101, 40, 22, 0.3, 4",
            "64, 21, 12, 0.1, 5"})
    void run_sparseGraphWithDropoutsAtEveryStage_sumEqualsPlainSum(int n, int k, int t, double fraction, long seed) {
        SecAggConfig config = new SecAggConfig(n, t, D, seed, k, seed * 31);
        int[][] x = randomInputs(n, D, seed);
        DropoutPlan plan = mixedDropouts(n, fraction, seed);

        SecAggResult result = seededSimulation(config, seed).run(x, plan);

        SortedSet<Integer> expectedIncluded = new TreeSet<>();
        for (int id = 1; id <= n; id++) {
            if (plan.answers(id, SecAggStage.MASKED_INPUT)) {
                expectedIncluded.add(id);
            }
        }
        assertEquals(SecAggStage.DONE, result.outcome(), "failed; plan " + plan);
        assertEquals(expectedIncluded, result.includedClients());
        assertArrayEquals(plainSum(x, expectedIncluded), result.sum());
    }

    @Test
    void run_sparseGraph_sharesAndMasksOnlyWithNeighbours() {
        int n = 100;
        SecAggConfig sparse = new SecAggConfig(n, 12, D, 7, 20, 99);
        SecAggConfig complete = SecAggConfig.majority(n, D, 7);
        DropoutPlan plan = DropoutPlan.spread(n, 0.1, SecAggStage.MASKED_INPUT);

        SecAggResult s = seededSimulation(sparse, 7).run(randomInputs(n, D, 7), plan);
        SecAggResult c = seededSimulation(complete, 7).run(randomInputs(n, D, 7), plan);

        assertEquals(SecAggStage.DONE, s.outcome());
        // Uploads: one 94-byte sealed pair per neighbour instead of per peer (share stage, 90 senders).
        long sparseShares = s.stages().get(1).bytesUp();
        long completeShares = c.stages().get(1).bytesUp();
        assertEquals(n * (8 + 20L * (8 + ShareCipher.CIPHERTEXT_BYTES)), sparseShares);
        assertEquals(n * (8 + 99L * (8 + ShareCipher.CIPHERTEXT_BYTES)), completeShares);
        // Roster per client: itself and its 20 neighbours.
        assertEquals(n * (4 + 21L * 68), s.stages().get(0).bytesDown());
        // Reconstructions: one b per survivor, one key per dropped client, in both modes.
        assertEquals(c.reconstructions(), s.reconstructions());
        assertEquals(100, s.reconstructions());
    }

    @Test
    void run_neighbourhoodBelowThreshold_failsCleanlyWithoutReconstruction() {
        int n = 60;
        SecAggConfig config = new SecAggConfig(n, 12, D, 11, 20, 5);
        NeighbourGraph graph = NeighbourGraph.of(config);
        // Client 1 survives but 9 of its 20 neighbours vanish after sharing: 1 + 11 = 12 holders would be exactly
        // t; one more vanishing (10 of them) leaves 11 < t, though 50 clients, far above t, survive overall.
        Map<Integer, SecAggStage> drops = new HashMap<>();
        int[] nb = graph.neighbours(1);
        for (int i = 0; i < 10; i++) {
            drops.put(nb[i], SecAggStage.MASKED_INPUT);
        }

        SecAggResult result = seededSimulation(config, 11).run(randomInputs(n, D, 11), DropoutPlan.of(drops));

        assertEquals(SecAggStage.FAILED, result.outcome());
        assertNull(result.sum());
        assertTrue(result.includedClients().isEmpty());
        assertEquals(0, result.reconstructions());
    }

    @Test
    void run_neighbourhoodExactlyAtThreshold_succeeds() {
        int n = 60;
        SecAggConfig config = new SecAggConfig(n, 12, D, 11, 20, 5);
        NeighbourGraph graph = NeighbourGraph.of(config);
        Map<Integer, SecAggStage> drops = new HashMap<>();
        int[] nb = graph.neighbours(1);
        for (int i = 0; i < 9; i++) {
            drops.put(nb[i], SecAggStage.MASKED_INPUT);
        }
        int[][] x = randomInputs(n, D, 11);

        SecAggResult result = seededSimulation(config, 11).run(x, DropoutPlan.of(drops));

        assertEquals(SecAggStage.DONE, result.outcome());
        assertArrayEquals(plainSum(x, result.includedClients()), result.sum());
    }

    @Test
    void run_secAggPlusParametersAtN300_30PercentDropout_exactSum() {
        int n = 300;
        SecAggPlusParameters.Choice choice = SecAggPlusParameters.choose(n);
        SecAggConfig config = choice.config(64, 12, 0xfeedL);
        int[][] x = randomInputs(n, 64, 12);

        SecAggResult result = seededSimulation(config, 12).run(x, DropoutPlan.spread(n, 0.3, SecAggStage.MASKED_INPUT));

        assertEquals(SecAggStage.DONE, result.outcome(), choice.toString());
        assertEquals(210, result.includedClients().size());
        assertArrayEquals(plainSum(x, result.includedClients()), result.sum());
    }
}
