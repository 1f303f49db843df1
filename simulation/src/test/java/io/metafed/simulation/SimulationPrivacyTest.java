package io.metafed.simulation;

import io.metafed.coordinator.aggregate.PrivacySettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.metafed.coordinator.aggregate.Sgd;
import io.metafed.evaluation.data.SyntheticConfig;
import io.metafed.evaluation.data.SyntheticDataGenerator;
import io.metafed.evaluation.metrics.UserEvaluator;
import io.metafed.evaluation.task.Partition;
import io.metafed.evaluation.task.SplitConfig;
import io.metafed.model.data.Dataset;
import io.metafed.security.dp.PrivacyBudget;
import io.metafed.security.dp.PrivacyLoss;
import io.metafed.simulation.eval.EvalPoint;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulationPrivacyTest {
    private static final Dataset DATA = SyntheticDataGenerator.generate(SyntheticConfig.small(11));
    private static final List<Algorithm> PRIVATE = List.of(Algorithm.FEDREPTILE, Algorithm.FEDAVG,
            Algorithm.CENTRAL_REPTILE);

    @TempDir
    Path work;

    @BeforeEach
    void requireOnnxRuntime() {
        assumeFalse(Boolean.getBoolean("skipONNXTests"), "ONNX Runtime tests disabled by -DskipONNXTests");
    }

    private static SimulationConfig config(int rounds, List<Algorithm> algorithms, PrivacySettings privacy) {
        return new SimulationConfig(rounds, 8, 5, 0.05f, 16, 1.0, 1, rounds, List.of(0, 5), 0.05f, 2, algorithms,
                new Sgd()).withPrivacy(Optional.ofNullable(privacy));
    }

    private static PrivacySettings privacy(double clip, double z) {
        return new PrivacySettings(clip, PrivacyBudget.builder().noiseMultiplier(z).delta(1e-5).build());
    }

    private Map<String, PrivacyLoss> spent(int rounds) {
        SimulationRunner runner = new SimulationRunner(DATA, config(rounds, PRIVATE, privacy(0.05, 1.0)),
                work.resolve("r" + rounds), (p, d, t) -> { });
        runner.run(SplitConfig.melu(5));
        return runner.privacySpent();
    }

    @Test
    void privateRun_reportsFiniteEpsilonThatGrowsWithRounds() {
        Map<String, PrivacyLoss> short_ = spent(3);
        Map<String, PrivacyLoss> long_ = spent(6);
        assertEquals(3, long_.size(), long_.toString());
        for (Algorithm a : PRIVATE) {
            double early = short_.get(a.label()).epsilon();
            double late = long_.get(a.label()).epsilon();
            assertTrue(early > 0 && Double.isFinite(late) && late > early, a + ": " + early + " -> " + late);
            assertEquals(1e-5, long_.get(a.label()).delta());
        }
        // FedReptile and FedAvg sample the same fraction of the same users, so they spend the same ε.
        assertEquals(long_.get("FedReptile").epsilon(), long_.get("FedAvg").epsilon(), 1e-12);
    }

    /**
     * With z = 0 and C = ∞ the DP path releases the plain mean update, but DP-FedAvg weighs every user 1 (the
     * non-private run weighs by rating count) over the fixed denominator clientsPerRound. So the two runs are not
     * bit-equal; the rule-level equality under equal weights is DifferentiallyPrivateTest's. Here the models must
     * end within 0.02 MAE (measured: 0.004 and 0.001 after 20 rounds) and the unbounded ε must be reported.
     */
    @Test
    void noNoiseAndNoClipping_matchesTheNonPrivateRun() {
        List<Algorithm> algorithms = List.of(Algorithm.FEDREPTILE, Algorithm.FEDAVG);
        List<EvalPoint> plain = new SimulationRunner(DATA, config(20, algorithms, null), work.resolve("a"),
                (p, d, t) -> { }).run(SplitConfig.melu(5));
        SimulationRunner dp = new SimulationRunner(DATA, config(20, algorithms,
                privacy(Double.POSITIVE_INFINITY, 0)), work.resolve("b"), (p, d, t) -> { });
        List<EvalPoint> open = dp.run(SplitConfig.melu(5));
        assertEquals(Double.POSITIVE_INFINITY, dp.privacySpent().get("FedReptile").epsilon());
        for (String model : List.of("FedReptile", "FedAvg")) {
            assertEquals(mae(plain, model, 20, 5), mae(open, model, 20, 5), 0.02, model);
        }
    }

    private static double mae(List<EvalPoint> points, String model, int round, int steps) {
        return points.stream()
                .filter(p -> p.model().equals(model) && p.round() == round && p.steps() == steps
                        && p.partition() == Partition.USER_COLD)
                .mapToDouble(p -> p.metrics().get(UserEvaluator.MAE)).findFirst()
                .orElseThrow(() -> new AssertionError("no point for " + model + " round " + round));
    }
}
