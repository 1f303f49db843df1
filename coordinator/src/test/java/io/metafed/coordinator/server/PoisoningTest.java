package io.metafed.coordinator.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.coordinator.round.ContributionBounds;
import io.metafed.model.format.Weights;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.protocol.TaskResponse;
import io.metafed.security.dp.L2Clipper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The poisoning attacks of issue 12 through a real HTTPS server on loopback with its default contribution bounds
 * (weights capped at 1024, L2 norm clipped to 3 × the round's lower median norm): one enrolled device sends an
 * enormous update with an enormous self-reported weight next to honest devices.
 */
@Timeout(120)
class PoisoningTest {
    static final List<String> HONEST = List.of("h0", "h1", "h2");
    static final String ATTACKER = "mallory";
    static final float HONEST_WEIGHT = 10;

    @TempDir
    Path dir;

    /** Honest Δ: seeded, uniform in [-0.01, 0.01) per parameter (norm ≈ 0.8 for 18,753 parameters). */
    static float[][] honestDeltas(int size) {
        SplittableRandom random = new SplittableRandom(12);
        float[][] deltas = new float[HONEST.size()][size];
        for (float[] d : deltas) {
            for (int j = 0; j < size; j++) {
                d[j] = (float) (random.nextDouble() * 0.02 - 0.01);
            }
        }
        return deltas;
    }

    /** Runs one round: the attacker first (so the honest ones fill the round), then every honest device. */
    private Weights[] round(FederationConfig federation, float attackValue, double attackWeight, int attackStatus,
            float[][] honest) throws Exception {
        try (CoordinatorServer server = CoordinatorServer.start(ServerConfig.local(dir).withFederation(federation))) {
            TestClient http = new TestClient(server.uri(), server.certificateFile().orElseThrow());
            ParamLayout layout = federation.layout();
            for (String c : HONEST) {
                http.enroll(c);
            }
            http.enroll(ATTACKER);
            Weights before = http.model(layout);
            TaskResponse task = http.awaitTask(ATTACKER);
            HttpResponse<byte[]> attack = http.update(Updates.body(layout, ATTACKER, task.roundId(), 0, attackValue,
                    attackWeight));
            assertEquals(attackStatus, attack.statusCode(), () -> new String(attack.body()));
            if (attackStatus != 202) {
                String body = new String(attack.body());
                assertTrue(body.contains("bad_update") && body.contains("L2 norm"), body);
            }
            for (int i = 0; i < HONEST.size(); i++) {
                TaskResponse t = http.awaitTask(HONEST.get(i));
                HttpResponse<byte[]> r = http.update(Updates.body(layout, HONEST.get(i), t.roundId(), 0, honest[i],
                        HONEST_WEIGHT));
                assertEquals(202, r.statusCode(), () -> "honest update refused: " + new String(r.body()));
            }
            http.awaitModelVersion(1);
            return new Weights[] {before, http.model(layout)};
        }
    }

    @Test
    void hugeDeltaAndWeight_isClippedAndCapped_modelMovesByTheBoundedMean() throws Exception {
        FederationConfig federation = FederationConfig.defaults().withOverSelection(1.0)
                .withRounds(4, 3, 4, Duration.ofSeconds(60));
        int size = federation.layout().size();
        float[][] honest = honestDeltas(size);
        Weights[] models = round(federation, 5f, 1e30, 202, honest);
        float[] theta0 = models[0].params();
        float[] theta1 = models[1].params();

        // What the documented bounds make of the round: weight 1e30 counts as 1024; Δ = +5 (norm 5·√size ≈ 685) is
        // clipped to B = 3 × the lower median of the four norms (an honest one).
        double[] norms = new double[4];
        for (int i = 0; i < 3; i++) {
            norms[i] = L2Clipper.norm(honest[i]);
        }
        double attackNorm = 5 * Math.sqrt(size);
        norms[3] = attackNorm;
        double[] sorted = norms.clone();
        Arrays.sort(sorted);
        double bound = ContributionBounds.DEFAULT_MEDIAN_MULTIPLE * sorted[1];
        double attackValue = 5 * bound / attackNorm;
        double maxWeight = ContributionBounds.DEFAULT_MAX_WEIGHT;
        double total = 3 * HONEST_WEIGHT + maxWeight;
        double maxMove = 0;
        for (int j = 0; j < size; j++) {
            double honestSum = 0;
            for (float[] h : honest) {
                honestSum += HONEST_WEIGHT * h[j];
            }
            double expected = (honestSum + maxWeight * attackValue) / total; // ε = 1
            assertEquals(theta0[j] + expected, theta1[j], 1e-5, "bounded mean at parameter " + j);
            maxMove = Math.max(maxMove, Math.abs(theta1[j] - theta0[j]));
        }
        // Unbounded, the same round moved every parameter by +5.0 (issue 12). Now no parameter moves by more than
        // the attacker's bounded share W·B/(Σw·√size) per parameter plus the honest mean.
        assertTrue(maxMove < 0.05, "largest parameter move " + maxMove);
    }

    @Test
    void hugeDeltaAndWeight_withMedianRule_modelStaysWithinTheHonestUpdates() throws Exception {
        FederationConfig federation = FederationConfig.defaults().withOverSelection(1.0)
                .withRounds(4, 3, 4, Duration.ofSeconds(60))
                .withBounds(ContributionBounds.defaults().withCombiner(new ContributionBounds.Combiner.Median()));
        int size = federation.layout().size();
        float[][] honest = honestDeltas(size);
        Weights[] models = round(federation, 5f, 1e30, 202, honest);
        for (int j = 0; j < size; j++) {
            float lo = Math.min(honest[0][j], Math.min(honest[1][j], honest[2][j]));
            float hi = Math.max(honest[0][j], Math.max(honest[1][j], honest[2][j]));
            float move = models[1].params()[j] - models[0].params()[j];
            assertTrue(move >= lo - 1e-6 && move <= hi + 1e-6, "median move " + move + " at " + j
                    + " outside the honest range [" + lo + ", " + hi + "]");
        }
    }

    @Test
    void overflowingDelta_isRefused_roundAggregatesTheHonestUpdates() throws Exception {
        // Four selected (3 × 1.3 rounded up), three counted: the refused attacker does not hold the round open.
        FederationConfig federation = FederationConfig.defaults().withOverSelection(1.3)
                .withRounds(3, 3, 4, Duration.ofSeconds(60));
        int size = federation.layout().size();
        float[][] honest = honestDeltas(size);
        Weights[] models = round(federation, 3e38f, 1e300, 400, honest);
        for (int j = 0; j < size; j++) {
            double expected = (honest[0][j] + honest[1][j] + honest[2][j]) / 3.0; // equal weights, none clipped
            assertEquals(models[0].params()[j] + expected, models[1].params()[j], 1e-6, "honest mean at " + j);
        }
        assertEquals("3", models[1].metadata().get("participants"), models[1].metadata().toString());
    }
}
