package io.metafed.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.metafed.evaluation.data.SyntheticConfig;
import io.metafed.evaluation.data.SyntheticDataGenerator;
import io.metafed.evaluation.metrics.UserEvaluator;
import io.metafed.evaluation.task.Partition;
import io.metafed.evaluation.task.SplitConfig;
import io.metafed.model.data.Dataset;
import io.metafed.simulation.eval.EvalPoint;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulationRunnerTest {
    private static final Dataset DATA = SyntheticDataGenerator.generate(SyntheticConfig.small(11));

    @TempDir
    Path work;

    @BeforeEach
    void requireOnnxRuntime() {
        assumeFalse(Boolean.getBoolean("skipONNXTests"), "ONNX Runtime tests disabled by -DskipONNXTests");
    }

    private static SimulationConfig config(List<Algorithm> algorithms) {
        return new SimulationConfig(40, 8, 5, 0.05f, 16, 1.0, 1, 20, List.of(0, 5), 0.05f, 2, algorithms,
                new io.metafed.coordinator.aggregate.Sgd());
    }

    @Test
    void run_sameSeedTwice_isBitForBitReproducible() {
        SimulationConfig config = config(List.of(Algorithm.FEDREPTILE, Algorithm.FEDAVG));
        List<EvalPoint> a = new SimulationRunner(DATA, config, work.resolve("a"), (p, d, t) -> { }).run(SplitConfig.melu(5));
        List<EvalPoint> b = new SimulationRunner(DATA, config, work.resolve("b"), (p, d, t) -> { }).run(SplitConfig.melu(5));
        assertFalse(a.isEmpty());
        assertEquals(a, b);
    }

    @Test
    void run_fedReptile_learnsAndAdaptationHelps() {
        List<EvalPoint> points = new SimulationRunner(DATA, config(List.of(Algorithm.FEDREPTILE)), work,
                (p, d, t) -> { }).run(SplitConfig.melu(5));
        double globalMean = mae(points, SimulationRunner.GLOBAL_MEAN, 40, 0);
        double early = mae(points, "FedReptile", 20, 5);
        double adapted = mae(points, "FedReptile", 40, 5);
        double unadapted = mae(points, "FedReptile", 40, 0);
        assertTrue(adapted < globalMean, "FedReptile after 5 steps (" + adapted + ") should beat the global mean ("
                + globalMean + ")");
        assertTrue(adapted < unadapted, "adaptation should help: " + adapted + " vs " + unadapted);
        assertTrue(adapted <= early + 0.01, "more rounds should not hurt much: " + early + " -> " + adapted);
    }

    @Test
    void run_metaLearners_trainThroughCoordinatorAndSdk_andAdaptationHelps() {
        List<EvalPoint> points = new SimulationRunner(DATA, config(List.of(Algorithm.FOMAML, Algorithm.META_SGD)),
                work, (p, d, t) -> { }).run(SplitConfig.melu(5));
        double globalMean = mae(points, SimulationRunner.GLOBAL_MEAN, 40, 0);
        for (String model : List.of("FOMAML", "Meta-SGD")) {
            double adapted = mae(points, model, 40, 5);
            double unadapted = mae(points, model, 40, 0);
            assertTrue(adapted < globalMean, model + " after 5 steps (" + adapted + ") should beat the global mean ("
                    + globalMean + ")");
            assertTrue(adapted < unadapted, model + ": adaptation should help: " + adapted + " vs " + unadapted);
        }
    }

    @Test
    void run_resumedFromCheckpointsAfterAStop_endsWhereTheUninterruptedRunEnds() {
        List<Algorithm> algorithms = List.of(Algorithm.FEDREPTILE);
        SimulationConfig four = new SimulationConfig(4, 8, 5, 0.05f, 16, 1.0, 1, 2, List.of(0, 5), 0.05f, 2,
                algorithms, new io.metafed.coordinator.aggregate.Sgd());
        SimulationConfig two = new SimulationConfig(2, 8, 5, 0.05f, 16, 1.0, 1, 2, List.of(0, 5), 0.05f, 2,
                algorithms, new io.metafed.coordinator.aggregate.Sgd());
        List<EvalPoint> straight = new SimulationRunner(DATA, four, work.resolve("a"), (p, d, t) -> { })
                .run(SplitConfig.melu(5));
        // A run stopped after 2 of 4 rounds (its checkpoints stay), then started again with --resume.
        Path checkpoints = work.resolve("checkpoints");
        new SimulationRunner(DATA, two, work.resolve("b"), (p, d, t) -> { }).checkpointsIn(checkpoints)
                .run(SplitConfig.melu(5));
        List<Integer> resumedRounds = new java.util.ArrayList<>();
        List<EvalPoint> resumed = new SimulationRunner(DATA, four, work.resolve("c"),
                (p, d, t) -> resumedRounds.add(d)).checkpointsIn(checkpoints).resuming().run(SplitConfig.melu(5));
        assertEquals(List.of(3, 4), resumedRounds, "only the remaining rounds run");
        List<EvalPoint> last = straight.stream().filter(p -> p.model().equals("FedReptile") && p.round() == 4)
                .toList();
        assertFalse(last.isEmpty());
        assertEquals(last, resumed.stream().filter(p -> p.model().equals("FedReptile") && p.round() == 4).toList());
    }

    private static double mae(List<EvalPoint> points, String model, int round, int steps) {
        return points.stream()
                .filter(p -> p.model().equals(model) && p.round() == round && p.steps() == steps
                        && p.partition() == Partition.USER_COLD)
                .mapToDouble(p -> p.metrics().get(UserEvaluator.MAE)).findFirst()
                .orElseThrow(() -> new AssertionError("no point for " + model + " round " + round + " steps " + steps));
    }
}
