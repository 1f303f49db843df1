package io.metafed.simulation.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.coordinator.RoundTask;
import io.metafed.coordinator.server.secagg.SecAggMode;
import io.metafed.model.algorithm.FederatedAlgorithm;
import io.metafed.model.algorithm.LocalTraining;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The in-process simulator's secure rounds in SecAgg+ mode: same decoded sum as Bonawitz, less server traffic. */
class SecureRoundsModeTest {
    private static final int N = 120;
    private static final int D = 20;

    private static RoundTask task(List<String> clients) {
        return new RoundTask(3, 0, 1, clients,
                LocalTraining.builder(FederatedAlgorithm.FEDREPTILE).steps(1).learningRate(0.01).batchSize(8).build());
    }

    @Test
    void secAggPlus_120Clients30PercentDropout_decodesTheSurvivorsWeightedSumAsBonawitzDoes() {
        SecureRounds bonawitz = new SecureRounds(1.0, 50, N, 0.3, 11);
        SecureRounds plus = bonawitz.withMode(SecAggMode.SECAGG_PLUS);
        Random r = new Random(5);
        List<String> ids = new ArrayList<>();
        List<float[]> deltas = new ArrayList<>();
        List<Integer> weights = new ArrayList<>();
        List<int[]> encoded = new ArrayList<>();
        for (int c = 0; c < N; c++) {
            float[] delta = new float[D];
            for (int i = 0; i < D; i++) {
                delta[i] = (float) (r.nextGaussian() * 0.05);
            }
            ids.add("c" + c);
            deltas.add(delta);
            weights.add(1 + r.nextInt(50));
            encoded.add(plus.encode(delta, weights.get(c)));
        }

        SecureRounds.Outcome p = plus.aggregate(task(ids), ids, encoded).orElseThrow();
        SecureRounds.Outcome b = bonawitz.aggregate(task(ids), ids, encoded).orElseThrow();

        assertEquals(84, p.included().size()); // 36 of 120 vanish after sharing keys
        assertEquals(b.included(), p.included());
        assertTrue(java.util.Arrays.equals(b.aggregate().weightedSum(), p.aggregate().weightedSum()),
                "masks cancel exactly in both modes, so the decoded sums are identical");
        double exact = 0;
        for (int i : p.included()) {
            exact += weights.get(i) * deltas.get(i)[0];
        }
        assertEquals(exact, p.aggregate().weightedSum()[0], plus.encoder().maxAbsError(p.included().size()));
        // k = 94 of 119 peers: every client uploads fewer sealed shares (share stage bytes up).
        long plusShares = p.protocol().stages().get(1).bytesUp();
        long bonawitzShares = b.protocol().stages().get(1).bytesUp();
        assertEquals(N * (8 + 94L * 102), plusShares);
        assertEquals(N * (8 + 119L * 102), bonawitzShares);
    }
}
