package io.metafed.simulation.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.metafed.coordinator.Coordinator;
import io.metafed.coordinator.CoordinatorConfig;
import io.metafed.coordinator.aggregate.Reptile;
import io.metafed.coordinator.model.InMemoryCheckpointStore;
import io.metafed.coordinator.round.RoundConfig;
import io.metafed.model.algorithm.FederatedAlgorithm;
import io.metafed.model.algorithm.LocalTraining;
import io.metafed.evaluation.data.SyntheticConfig;
import io.metafed.evaluation.data.SyntheticDataGenerator;
import io.metafed.model.data.Dataset;
import io.metafed.model.data.Interaction;
import io.metafed.model.features.FeatureSchema;
import io.metafed.model.nn.ModelConfig;
import io.metafed.model.nn.ParamInitializer;
import io.metafed.model.features.BatchEncoder;
import io.metafed.model.features.FeatureEncoder;
import io.metafed.model.nn.Batch;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.nn.ReferenceModel;
import io.metafed.model.train.InnerLoop;
import io.metafed.sdk.LocalUpdate;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FederatedTrainingTest {
    @TempDir
    Path dir;

    @Test
    void run_reptileRounds_clientLossFallsAndVersionAdvances() {
        assumeFalse(Boolean.getBoolean("skipONNXTests"), "ONNX Runtime tests disabled by -DskipONNXTests");
        Dataset data = SyntheticDataGenerator.generate(SyntheticConfig.small(2));
        ParamLayout layout = ParamLayout.of(ModelConfig.melu(FeatureSchema.standard(data)));
        Map<Integer, List<Interaction>> byUser = new LinkedHashMap<>();
        for (Interaction in : data.interactions()) {
            byUser.computeIfAbsent(in.user(), u -> new ArrayList<>()).add(in);
        }
        float[] theta0 = ParamInitializer.initialize(layout, 2, 3.5f);
        Coordinator coordinator = new Coordinator(layout, theta0,
                new CoordinatorConfig(RoundConfig.of(10, 10, 2), LocalTraining.builder(FederatedAlgorithm.FEDREPTILE).steps(5)
                        .learningRate(0.05).batchSize(16).build(),
                        Reptile.constant(1.0)), new InMemoryCheckpointStore(), Clock.systemUTC());
        List<Double> roundLoss = new ArrayList<>();
        try (WorkerRuntimes workers = new WorkerRuntimes(layout, 2);
             ClientPool pool = new ClientPool(workers, layout, data, byUser, dir)) {
            new FederatedTraining(coordinator, pool, 2).run(60,
                    (round, model, updates) -> roundLoss.add(updates.stream()
                            .mapToDouble(LocalUpdate::lossBefore).average().orElseThrow()));
        }
        assertEquals(60, coordinator.currentModel().version());
        // Deterministic check on all clients' ratings; the sampled per-round losses only have to trend down.
        InnerLoop loss = new InnerLoop(new ReferenceModel(layout));
        Batch all = new BatchEncoder(new FeatureEncoder(layout.config().schema()), data).encode(data.interactions());
        double before = loss.loss(theta0, all);
        double after = loss.loss(coordinator.currentModel().params(), all);
        assertTrue(after < before - 0.03, "MSE of θ on all ratings should fall: " + before + " -> " + after);
        double first = roundLoss.subList(0, 20).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double last = roundLoss.subList(40, 60).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertTrue(last < first, "clients' loss on θ should fall: first rounds " + first + ", last " + last);
    }

    /** The pool, but asking FederatedTraining for sums: the path a cluster engine takes, here summed in process. */
    private static final class Summing extends ForwardingExecution {
        Summing(ClientPool pool) {
            super(pool);
        }

        @Override
        public boolean sumsUpdates() {
            return true;
        }
    }

    @Test
    void run_summedUpdates_sameThetaAsEachUpdateSubmitted() {
        assumeFalse(Boolean.getBoolean("skipONNXTests"), "ONNX Runtime tests disabled by -DskipONNXTests");
        Dataset data = SyntheticDataGenerator.generate(SyntheticConfig.small(3));
        ParamLayout layout = ParamLayout.of(ModelConfig.melu(FeatureSchema.standard(data)));
        Map<Integer, List<Interaction>> byUser = new LinkedHashMap<>();
        for (Interaction in : data.interactions()) {
            byUser.computeIfAbsent(in.user(), u -> new ArrayList<>()).add(in);
        }
        float[] theta0 = ParamInitializer.initialize(layout, 3, 3.5f);
        List<float[]> thetas = new ArrayList<>();
        try (WorkerRuntimes workers = new WorkerRuntimes(layout, 2);
             ClientPool pool = new ClientPool(workers, layout, data, byUser, dir)) {
            for (ClientExecution clients : List.of(pool, new Summing(pool))) {
                Coordinator coordinator = new Coordinator(layout, theta0, new CoordinatorConfig(RoundConfig.of(12, 6, 3),
                        LocalTraining.builder(FederatedAlgorithm.FEDREPTILE).steps(3).learningRate(0.05).batchSize(16)
                                .build(), Reptile.constant(1.0)), new InMemoryCheckpointStore(), Clock.systemUTC());
                assertEquals(0, new FederatedTraining(coordinator, clients, 3).run(3, (r, m, u) -> { }));
                assertEquals(3, coordinator.currentModel().version());
                thetas.add(coordinator.currentModel().params());
            }
        }
        // Both sum Σ wᵢΔᵢ in double in selection order; only the route to the coordinator differs.
        org.junit.jupiter.api.Assertions.assertArrayEquals(thetas.get(0), thetas.get(1));
    }

    @Test
    void dormantDevices_reopenedPerJob_sameThetaAsAllOpen_andPollingRefused() throws java.io.IOException {
        assumeFalse(Boolean.getBoolean("skipONNXTests"), "ONNX Runtime tests disabled by -DskipONNXTests");
        Dataset data = SyntheticDataGenerator.generate(SyntheticConfig.small(4));
        ParamLayout layout = ParamLayout.of(ModelConfig.melu(FeatureSchema.standard(data)));
        Map<Integer, List<Interaction>> byUser = new LinkedHashMap<>();
        for (Interaction in : data.interactions()) {
            byUser.computeIfAbsent(in.user(), u -> new ArrayList<>()).add(in);
        }
        float[] theta0 = ParamInitializer.initialize(layout, 4, 3.5f);
        List<float[]> thetas = new ArrayList<>();
        try (WorkerRuntimes workers = new WorkerRuntimes(layout, 2)) {
            for (int maxOpen : new int[] {ClientPool.DEFAULT_MAX_OPEN, 3}) {
                Path stores = java.nio.file.Files.createDirectories(dir.resolve("open-" + maxOpen));
                try (ClientPool pool = new ClientPool(workers, layout, data, data.scale(), byUser, stores, maxOpen)) {
                    assertEquals(maxOpen == 3 ? byUser.size() - 3 : 0, pool.dormantDevices());
                    assertEquals(List.copyOf(byUser.keySet()), pool.users(), "dormant devices are still users");
                    // A dormant device reopened for a job holds exactly the ratings it was given.
                    List<Integer> counts = pool.map(pool.users(), (user, client) -> client.ratingCount());
                    assertEquals(byUser.values().stream().map(List::size).toList(), counts);
                    Coordinator coordinator = new Coordinator(layout, theta0, new CoordinatorConfig(
                            RoundConfig.of(12, 6, 4), LocalTraining.builder(FederatedAlgorithm.FEDREPTILE).steps(3)
                            .learningRate(0.05).batchSize(16).build(), Reptile.constant(1.0)),
                            new InMemoryCheckpointStore(), Clock.systemUTC());
                    assertEquals(0, new FederatedTraining(coordinator, pool, 4).run(3, (r, m, u) -> { }));
                    thetas.add(coordinator.currentModel().params());
                    if (maxOpen == 3) {
                        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(
                                IllegalStateException.class, () -> pool.onEachWorker((w, clients) -> w));
                        assertTrue(e.getMessage().contains("dormant"), e.getMessage());
                    }
                }
            }
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(thetas.get(0), thetas.get(1));
    }
}
