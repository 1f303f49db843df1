package io.metafed.simulation.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.coordinator.aggregate.PrivacySettings;
import io.metafed.coordinator.server.secagg.SecAggSettings;
import io.metafed.security.dp.L2Clipper;
import io.metafed.security.dp.PrivacyBudget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Differential privacy with secure aggregation over the network: devices clip to C and send weight 1 inside the
 * masked vector (the task tells them), the coordinator checks and noises the decoded sum. With z = 0 the new model
 * is exactly θ + Σ clip_C(Δᵢ) / n (ε = 1, n = clientsPerRound), which the test recomputes.
 *
 * <p>Tolerance: fixed-point error k/(2s) with s = ((2^31 − 1)/n − 1)/C ≈ 7e9 is below 1e-9; float32 rounding of θ
 * adds a few ulps; 1e-6 covers both while the clipped update moves θ by ~1e-4 per coordinate, and the unclipped
 * weighted mean would differ from the clipped one by more than 100× the tolerance.
 */
class PrivateSecureRoundTest {
    private static final double CLIP = 0.05; // the harness's Δ have norm ≈ 0.137: clipping bites
    private static final int CLIENTS = 6;

    @TempDir
    Path dir;

    @Test
    void dpWithSecureAggregation_devicesClipAndSendUnitWeight_modelIsThetaPlusClippedSumOverN() throws Exception {
        PrivacySettings dp = new PrivacySettings(CLIP, PrivacyBudget.builder().noiseMultiplier(0).delta(1e-5).build());
        SecAggSettings secure = new SecAggSettings(10.0, 1024, Duration.ofSeconds(5), Duration.ofMillis(200));
        try (SecureRoundHarness h = new SecureRoundHarness(dir, CLIENTS, secure, dp, Churn.none())) {
            SecureRoundHarness.RoundRun run = h.round();
            assertEquals(Map.of(), run.failures());
            assertEquals(run.versionBefore() + 1, run.versionAfter());
            assertEquals(new TreeSet<>(run.selected()), run.included());
            List<String> clients = List.copyOf(run.included());
            float[][] deltas = new float[clients.size()][];
            double[] scale = new double[clients.size()];
            double[] weight = new double[clients.size()];
            double weights = 0;
            for (int c = 0; c < deltas.length; c++) {
                deltas[c] = h.delta(clients.get(c), run.roundId());
                scale[c] = Math.min(1.0, CLIP / L2Clipper.norm(deltas[c]));
                weight[c] = SecureRoundHarness.weight(clients.get(c), run.roundId());
                weights += weight[c];
            }
            double maxGap = 0;
            for (int i = 0; i < run.before().length; i++) {
                double clipped = 0;
                double weighted = 0;
                for (int c = 0; c < deltas.length; c++) {
                    clipped += deltas[c][i] * scale[c];
                    weighted += weight[c] * deltas[c][i];
                }
                float expected = (float) (run.before()[i] + clipped / CLIENTS);
                assertTrue(Math.abs(run.after()[i] - expected) <= 1e-6, "coordinate " + i + ": " + run.after()[i]
                        + " vs θ + Σclip(Δ)/n = " + expected);
                maxGap = Math.max(maxGap, Math.abs(weighted / weights - clipped / CLIENTS));
            }
            assertTrue(maxGap > 1e-4, "unclipped weighted mean must differ visibly, max gap " + maxGap);
            assertTrue(h.server.federation().coordinator().currentModel().provenance().hyperparameters()
                    .containsKey("dp.clipNorm"), "the DP rule must be the one that aggregated");
        }
    }
}
